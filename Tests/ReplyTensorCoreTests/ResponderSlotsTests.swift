import Foundation
import ReplyTensorCore
import Synchronization
import Testing

/// `bot.max_concurrent_replies` bounds responder calls; the rest of a mention's way runs for more mentions at once.
@Suite("Responder slots")
struct ResponderSlotsTests {
    @Test("at most max_concurrent_replies responder calls run at once, and every mention is answered once")
    func responderCallsAreBounded() async throws {
        let running = Mutex((now: 0, most: 0))
        let responder = CountingResponder { prompt in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try await Task.sleep(for: .milliseconds(30))
            running.withLock { $0.now -= 1 }
            return "answer to: \(prompt.question)"
        }
        let adapter = InMemoryAdapter()
        adapter.inject((0..<40).map { adapter.makeMessage(id: "m\($0)", text: "q\($0)", author: Author(id: "u\($0)")) })
        var configuration = EngineConfiguration.testing
        configuration.maxConcurrentReplies = 3
        let harness = EngineHarness(store: InMemoryStore(), adapters: [adapter], responder: responder,
                                    configuration: configuration)
        let done = await EngineHarness.wait(timeout: .seconds(30)) { adapter.posts.count >= 40 }
        try await harness.stop()
        #expect(done)
        #expect(Set(adapter.posts.map(\.mentionID)) == Set((0..<40).map { "m\($0)" }))
        #expect(adapter.posts.count == 40)
        #expect(running.withLock { $0.most } == 3, "the slots were all used and never exceeded")
    }
}
