import Foundation
import ReplyTensorCore
import Synchronization
import Testing

@Suite("Responder chain: platform scopes")
struct ResponderChainTests {
    /// Answers with its name and counts the prompts it was asked, by platform.
    final class NamedResponder: Responder {
        let name: String
        private let asked = Mutex<[String]>([])
        init(_ name: String) { self.name = name }

        func respond(to prompt: Prompt) async throws -> Completion {
            asked.withLock { $0.append(prompt.platform?.rawValue ?? "none") }
            return Completion(text: "\(name) answers", backend: name)
        }

        var prompts: [String] { asked.withLock { $0 } }
    }

    static func prompt(_ platform: Platform?) -> Prompt {
        Prompt(persona: "p", turns: [ConversationTurn(role: .user, text: "a DM")], platform: platform)
    }

    @Test("a responder scoped to X and Discord is never asked a Telegram prompt; the next responder answers it")
    func scopedResponderIsSkipped() async throws {
        let subnet = NamedResponder("subnet")
        let gateway = NamedResponder("gateway")
        let chain = ResponderChain([PlatformScopedResponder(subnet, platforms: [.twitter, .discord]), gateway])
        #expect(try await chain.respond(to: Self.prompt(.telegram)).backend == "gateway")
        #expect(try await chain.respond(to: Self.prompt(.twitter)).backend == "subnet")
        #expect(try await chain.respond(to: Self.prompt(.discord)).backend == "subnet")
        // `replytensor ask` names no platform: the operator's own prompt may use every responder.
        #expect(try await chain.respond(to: Self.prompt(nil)).backend == "subnet")
        #expect(subnet.prompts == ["twitter", "discord", "none"])
        #expect(gateway.prompts == ["telegram"])
    }

    @Test("when no responder may answer a platform the mention fails with a reason naming the skip")
    func nothingLeftIsAClearFailure() async throws {
        let subnet = NamedResponder("subnet")
        let chain = ResponderChain([PlatformScopedResponder(subnet, platforms: [.twitter])])
        #expect(!chain.accepts(Self.prompt(.telegram)))
        let error = await #expect(throws: BotError.self) { try await chain.respond(to: Self.prompt(.telegram)) }
        #expect(error?.code == .responder)
        #expect(error?.message == "subnet: not used for telegram")
        #expect(subnet.prompts.isEmpty)
        // Asked directly (outside a chain), the scoped responder refuses too.
        let direct = await #expect(throws: BotError.self) {
            try await PlatformScopedResponder(subnet, platforms: [.twitter]).respond(to: Self.prompt(.telegram))
        }
        #expect(direct?.message.contains("not used for telegram") == true)
        #expect(subnet.prompts.isEmpty)
    }

    @Test("the engine hands the mention's platform to the responders")
    func engineSetsThePromptsPlatform() async throws {
        let adapter = InMemoryAdapter(platform: .telegram)
        let scoped = NamedResponder("subnet")
        let fallback = NamedResponder("gateway")
        let chain = ResponderChain([PlatformScopedResponder(scoped, platforms: [.twitter]), fallback])
        adapter.inject([adapter.makeMessage(id: "dm", text: "private question", author: Author(id: "u1"))])
        let harness = EngineHarness(store: InMemoryStore(), adapters: [adapter], responder: chain)
        let answered = await EngineHarness.wait { adapter.posts.count == 1 }
        try await harness.stop()
        #expect(answered)
        #expect(scoped.prompts.isEmpty)
        #expect(fallback.prompts == ["telegram"])
    }
}
