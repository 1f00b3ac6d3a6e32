import Foundation
import ReplyTensorCore
import Testing

@Suite("Send gate")
struct SendGateTests {
    @Test("per-chat and per-group rules make later sends wait; other chats are free")
    func rules() async throws {
        let gate = SendGate(store: InMemoryStore(), now: { Date() })
        let adapter = InMemoryAdapter()
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
        let store = InMemoryStore()
        let adapter = InMemoryAdapter()
        let message = adapter.makeMessage(id: "1", text: "", chat: "c")
        try await SendGate(store: store, now: { Date() }).block(adapter.platform, scope: "chat:c", for: .seconds(30),
                                                                 reason: "429")
        let restarted = SendGate(store: store, now: { Date() })
        #expect(try await restarted.isBlocked(message))
        #expect(try await restarted.reserve(for: message, rules: []) > .seconds(29))
        #expect(try await !restarted.isBlocked(adapter.makeMessage(id: "2", text: "", chat: "other")))
    }

    @Test("a restart (even after kill -9) waits out the previous run's short windows; long ones are not replayed")
    func shortWindowsSurviveRestart() async throws {
        let store = InMemoryStore()
        let adapter = InMemoryAdapter()
        let rules = [SendRule(.chat, limit: 1, per: .seconds(1)), SendRule(.groupChat, limit: 20, per: .seconds(60))]
        let message = adapter.makeMessage(id: "1", text: "", chat: "a")
        #expect(try await SendGate(store: store, now: { Date() }).reserve(for: message, rules: rules) == .zero)
        let restarted = SendGate(store: store, now: { Date() })
        let wait = try await restarted.reserve(for: adapter.makeMessage(id: "2", text: "", chat: "b"), rules: rules)
        #expect(wait > .milliseconds(900) && wait <= .milliseconds(1600))
        #expect(try await restarted.isBlocked(message), "no typing either while the last run's windows may be open")
    }

    @Test("a send counts from when its answer came back; pending() looks without counting")
    func settleMovesTheWindow() async throws {
        let clock = ManualDate()
        let gate = SendGate(store: InMemoryStore(), now: { clock.value })
        let adapter = InMemoryAdapter()
        let rules = [SendRule(.chat, limit: 1, per: .seconds(1))]
        let first = adapter.makeMessage(id: "1", text: "", chat: "a")
        #expect(try await gate.pending(for: first, rules: rules) == .zero)
        #expect(try await gate.reserve(for: first, rules: rules) == .zero)
        clock.advance(0.4)  // the request took 0.4 s
        try await gate.settle(first)
        clock.advance(0.7)
        let second = adapter.makeMessage(id: "2", text: "", chat: "a")
        let wait = try await gate.pending(for: second, rules: rules)
        #expect(wait > .milliseconds(250) && wait <= .milliseconds(301), "\(wait)")
        #expect(try await gate.pending(for: second, rules: rules) == wait, "pending() counted nothing")
    }
}

/// A settable clock for the gate.
private final class ManualDate: @unchecked Sendable {
    // @unchecked: tests touch it from one task at a time.
    private(set) var value = Date(timeIntervalSince1970: 1_800_000_000)
    func advance(_ seconds: TimeInterval) { value = value.addingTimeInterval(seconds) }
}
