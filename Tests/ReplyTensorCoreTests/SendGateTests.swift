import Foundation
import Synchronization
import ReplyTensorCore
import Testing

@Suite("Send gate")
struct SendGateTests {
    @Test("per-chat and per-group rules make later sends wait; other chats are free")
    func rules() async throws {
        let gate = SendGate(store: MemoryStore(), now: { Date() })
        let adapter = MemoryAdapter()
        let rules = [SendRule(.chat, limit: 1, per: .seconds(1)), SendRule(.groupChat, limit: 20, per: .seconds(60))]
        let a = adapter.makeMessage(id: "1", text: "", chat: "a")
        let b = adapter.makeMessage(id: "2", text: "", chat: "b")
        #expect(try await gate.reserve(for: a, rules: rules) == .zero)
        let wait = try await gate.reserve(for: a, rules: rules)
        #expect(wait > .milliseconds(900) && wait <= .milliseconds(1001))
        #expect(try await gate.reserve(for: b, rules: rules) == .zero)
    }

    @Test("a retry_after block is persisted and honoured by a new gate (a restart)")
    func blocksSurviveRestart() async throws {
        let store = MemoryStore()
        let adapter = MemoryAdapter()
        let message = adapter.makeMessage(id: "1", text: "", chat: "c")
        try await SendGate(store: store, now: { Date() }).block(adapter.platform, scope: "chat:c", for: .seconds(30),
                                                                 reason: "429")
        let restarted = SendGate(store: store, now: { Date() })
        #expect(try await restarted.isBlocked(message))
        #expect(try await restarted.reserve(for: message, rules: []) > .seconds(29))
        #expect(try await !restarted.isBlocked(adapter.makeMessage(id: "2", text: "", chat: "other")))
    }

    @Test("after a start, sends wait out the platform's startup pause (a killed process's sends are not known)")
    func startupPause() async throws {
        let start = Date()
        let clock = Mutex(start)
        let gate = SendGate(store: MemoryStore(), now: { clock.withLock { $0 } })
        let message = MemoryAdapter().makeMessage(id: "1", text: "", chat: "a")
        await gate.start()
        let wait = try await gate.reserve(for: message, rules: [], startupPause: .seconds(1))
        #expect(wait > .milliseconds(990) && wait <= .milliseconds(1001))
        clock.withLock { $0 = start.addingTimeInterval(1.01) }
        #expect(try await gate.reserve(for: message, rules: [], startupPause: .seconds(1)) == .zero)
        #expect(try await gate.reserve(for: message, rules: [], startupPause: .zero) == .zero)
    }
}
