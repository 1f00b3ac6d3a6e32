import Foundation
import ReplyTensorCore
import Testing

@Suite("Engine resume after a crash")
struct ResumeTests {
    /// Seeds a store with one mention in `state`, as a crashed run would have left it.
    func seeded(_ state: MentionState, adapter: InMemoryAdapter, parts: [String] = ["the answer"],
                posted: [String] = []) async throws -> (any BotStore, InboundMessage) {
        let store: any BotStore = InMemoryStore()
        let message = adapter.makeMessage(id: "m1", text: "question")
        _ = try await store.admit([message], at: Date())
        if state == .responding || state == .posting {
            #expect(try await store.claim(message.key, at: Date()))
        }
        if state == .posting {
            try await store.beginPosting(message.key, parts: parts, backend: "counting", at: Date())
            for id in posted { try await store.recordPosted(message.key, replyID: id, at: Date()) }
        }
        return (store, message)
    }

    @Test("received and responding mentions are answered once after a restart", arguments: [MentionState.received, .responding])
    func resumesUnstarted(_ state: MentionState) async throws {
        let adapter = InMemoryAdapter()
        let (store, message) = try await seeded(state, adapter: adapter)
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder())
        await EngineHarness.wait { try await store.entry(message.key)?.state == .answered }
        try await harness.stop()
        #expect(adapter.posts.count == 1)
    }

    @Test("a mention left in posting is never sent again on a platform without idempotent posts")
    func postingBecomesUnknown() async throws {
        let adapter = InMemoryAdapter()
        let (store, message) = try await seeded(.posting, adapter: adapter)
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder())
        await EngineHarness.wait { try await store.entry(message.key)?.state == .unknown }
        try await Task.sleep(for: .milliseconds(100))
        try await harness.stop()
        #expect(adapter.posts.isEmpty)
        #expect(try await store.entry(message.key)?.reason?.contains("interrupted while posting") == true)
    }

    @Test("a mention left in posting is resent safely where the platform de-duplicates by key")
    func postingResumesWhenIdempotent() async throws {
        let adapter = InMemoryAdapter(rules: PlatformRules(length: .utf16(100), maxParts: 3, idempotentPost: true))
        let (store, message) = try await seeded(.posting, adapter: adapter, parts: ["one", "two", "three"])
        // The crashed run had sent part 0 and recorded it; part 1 had left but was not recorded.
        _ = try await adapter.post("one", replyingTo: message, part: 0, idempotencyKey: "\(message.key):0")
        try await store.recordPosted(message.key, replyID: "r1", at: Date())
        _ = try await adapter.post("two", replyingTo: message, part: 1, idempotencyKey: "\(message.key):1")
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder())
        await EngineHarness.wait { try await store.entry(message.key)?.state == .answered }
        try await harness.stop()
        #expect(adapter.posts.map(\.text) == ["one", "two", "three"])
        #expect(try await store.entry(message.key)?.replyIDs == ["r1", "r2", "r3"])
    }

    @Test("finished mentions stay finished after a restart", arguments: [MentionState.answered, .skipped, .failed, .unknown])
    func finishedStayFinished(_ state: MentionState) async throws {
        let adapter = InMemoryAdapter()
        let store: any BotStore = InMemoryStore()
        let message = adapter.makeMessage(id: "done", text: "q")
        _ = try await store.admit([message], at: Date())
        try await store.finish(message.key, state: state, reason: "earlier", at: Date())
        adapter.inject([message])  // the platform delivers it again
        let responder = CountingResponder()
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder)
        try await Task.sleep(for: .milliseconds(200))
        try await harness.stop()
        #expect(adapter.posts.isEmpty)
        #expect(responder.count == 0)
        #expect(try await store.entry(message.key)?.state == state)
    }

    @Test("a kill during a burst, then a restart: no mention answered twice")
    func killAndRestartNeverDuplicates() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder { prompt in
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
            return "answer \(prompt.question)"
        }
        adapter.inject((0..<200).map { adapter.makeMessage(id: "k\($0)", text: "q\($0)", author: Author(id: "u\($0)")) })
        for _ in 0..<5 {
            let harness = EngineHarness(store: store, adapters: [adapter], responder: responder)
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...80)))
            await harness.kill()
        }
        let final = EngineHarness(store: store, adapters: [adapter], responder: responder)
        await EngineHarness.wait(timeout: .seconds(20)) {
            let finished = try await store.unfinished().isEmpty
            let total = try await store.stateCounts()[adapter.platform]?.values.reduce(0, +)
            return finished && total == 200
        }
        try await final.stop()
        let byMention = Dictionary(grouping: adapter.posts, by: \.mentionID)
        #expect(byMention.values.allSatisfy { $0.count == 1 })
        let counts = try await store.stateCounts()[adapter.platform] ?? [:]
        #expect((counts[.answered] ?? 0) + (counts[.unknown] ?? 0) == 200)
        #expect(adapter.posts.count == counts[.answered] ?? 0)
    }
}
