import Foundation
import ReplyTensorCore
import ReplyTensorPostgres
import Testing

/// Replicas on one PostgreSQL database: claims, leases, exclusion, and the counters they share. Times are explicit
/// dates (a lease of 5 s), never sleeps.
@Suite("PostgreSQL replicas")
struct PostgresReplicaTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func pair(lease: Double = 5) async throws -> (PostgresStore, PostgresStore) {
        let database = try PostgresTestDatabase()
        return (try await database.open(replica: "a", leaseSeconds: lease),
                try await database.open(replica: "b", leaseSeconds: lease))
    }

    static func isClaimLost(_ error: any Error) -> Bool {
        (error as? BotError).map { $0.code == .storage && $0.message.hasPrefix("claim lost") } ?? false
    }

    @Test("a claim by A blocks B until it expires; heartbeats extend it; leave frees it at once")
    func claims() async throws {
        let (a, b) = try await Self.pair()
        let key = message("1").key
        _ = try await a.admit([message("1"), message("2")], at: Self.at(0))
        try await a.heartbeat(at: Self.at(0))
        #expect(try await a.claim(key, at: Self.at(0)))
        #expect(try await !b.claim(key, at: Self.at(1)))
        await #expect(performing: { try await b.beginPosting(key, parts: ["x"], backend: nil, at: Self.at(1)) },
                      throws: Self.isClaimLost)
        await #expect(performing: { try await b.finish(key, state: .failed, reason: "x", at: Self.at(1)) },
                      throws: Self.isClaimLost)
        try await a.heartbeat(at: Self.at(4))  // the claim now runs to 9
        #expect(try await !b.claim(key, at: Self.at(8)))
        #expect(try await b.claim(key, at: Self.at(10)))
        #expect(try await b.entry(key)?.attempts == 2)
        await #expect(performing: { try await a.beginPosting(key, parts: ["x"], backend: nil, at: Self.at(10)) },
                      throws: Self.isClaimLost)
        try await b.leave()
        #expect(try await a.claim(key, at: Self.at(11)))
        try await a.beginPosting(key, parts: ["x"], backend: "gateway", at: Self.at(11))
        try await a.recordPosted(key, replyID: "r1", logging: nil, answered: true, at: Self.at(12))
        #expect(try await a.entry(key)?.state == .answered)
        // Nobody holds mention 2: finishing it is fine from any replica.
        try await b.finish(message("2").key, state: .skipped, reason: "limit", at: Self.at(12))
        #expect(try await a.entry(message("2").key)?.state == .skipped)
    }

    @Test("two replicas taking open mentions concurrently never get the same one, and together get all")
    func takeOpenMentions() async throws {
        let (a, b) = try await Self.pair(lease: 60)
        let messages = (0..<200).map { message("m\($0)") }
        _ = try await a.admit(messages, at: Self.at(0))
        let taken = try await withThrowingTaskGroup(of: (String, [String]).self) { group in
            for store in [a, b] {
                group.addTask {
                    var ids: [String] = []
                    while true {
                        let batch = try await store.takeOpenMentions(limit: 7, platforms: [.telegram], at: Self.at(1))
                        if batch.isEmpty { break }
                        ids += batch.map(\.message.id)
                    }
                    return (store.replicaName, ids)
                }
            }
            return try await group.reduce(into: [String: [String]]()) { $0[$1.0] = $1.1 }
        }
        let fromA = Set(taken["a"] ?? []), fromB = Set(taken["b"] ?? [])
        #expect(fromA.count == (taken["a"] ?? []).count)
        #expect(fromA.isDisjoint(with: fromB))
        #expect(fromA.union(fromB) == Set(messages.map(\.id)))
        #expect(try await a.takeOpenMentions(limit: 10, platforms: [.telegram], at: Self.at(2)).isEmpty)
        // Another platform's mentions are not handed out; expired claims are.
        #expect(try await a.takeOpenMentions(limit: 10, platforms: [.discord], at: Self.at(100)).isEmpty)
        #expect(try await a.takeOpenMentions(limit: 10, platforms: [.telegram], at: Self.at(100)).count == 10)
    }

    @Test("a lease is held by one replica, renewed by it, and taken over only after it expires")
    func leases() async throws {
        let (a, b) = try await Self.pair()
        #expect(try await a.holdLease("poll:telegram", at: Self.at(0)))
        #expect(try await !b.holdLease("poll:telegram", at: Self.at(1)))
        #expect(try await a.holdLease("poll:telegram", at: Self.at(3)))  // now to 8
        #expect(try await !b.holdLease("poll:telegram", at: Self.at(7)))
        #expect(try await b.holdLease("poll:telegram", at: Self.at(9)))
        #expect(try await !a.holdLease("poll:telegram", at: Self.at(9.5)))
        try await b.heartbeat(at: Self.at(9))
        let records = try await a.replicas()
        #expect(records.map(\.name) == ["b"])
        #expect(records.first?.host == "test-host")
        try await b.leave()
        #expect(try await a.holdLease("poll:telegram", at: Self.at(10)))
        #expect(try await a.replicas().isEmpty)
    }

    @Test("exclusively excludes: two replicas' read-await-write increments lose nothing (more callers than pooled connections)")
    func exclusively() async throws {
        let (a, b) = try await Self.pair()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [a, b] {
                for _ in 0..<20 {
                    group.addTask {
                        try await store.exclusively("policy:telegram") {
                            let value = Int(try await store.value("counter", for: .telegram) ?? "0") ?? 0
                            try await Task.sleep(for: .milliseconds(2))
                            try await store.setValue("\(value + 1)", for: "counter", platform: .telegram, at: Date())
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.value("counter", for: .telegram) == "40")
    }

    @Test("token rotations serialise: the second rotation starts from the first one's token")
    func rotateToken() async throws {
        let (a, b) = try await Self.pair()
        try await a.saveToken("x.refresh", value: "t0", at: Date())
        let seen = Seen()
        try await withThrowingTaskGroup(of: String.self) { group in
            for store in [a, b] {
                group.addTask {
                    try await store.rotateToken("x.refresh", at: Date()) { old in
                        await seen.add(old ?? "nil")
                        try await Task.sleep(for: .milliseconds(30))
                        return (old ?? "nil") + "-" + store.replicaName
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await a.token("x.refresh") ?? ""
        #expect(final == "t0-a-b" || final == "t0-b-a")
        #expect(await seen.values.sorted() == ["t0", String(final.dropLast(2))].sorted())
        // A missing token rotates from nil.
        #expect(try await b.rotateToken("new", at: Date()) { old in old ?? "first" } == "first")
    }

    @Test("updateValue from two replicas: 2 × 50 increments make 100")
    func updateValue() async throws {
        let (a, b) = try await Self.pair()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [a, b] {
                group.addTask {
                    for _ in 0..<50 {
                        _ = try await store.updateValue("sent", platform: .twitter, at: Date()) { old in
                            "\((Int(old ?? "0") ?? 0) + 1)"
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.value("sent", for: .twitter) == "100")
        #expect(try await a.updateValue("sent", platform: .twitter, at: Date()) { _ in nil } == nil)
        #expect(try await b.value("sent", for: .twitter) == nil)
    }

    @Test("a send window of 5 per 60 s shared by two replicas grants exactly 5 of 20 concurrent sends")
    func sendWindows() async throws {
        let (a, b) = try await Self.pair()
        let window = [SendWindow(key: "telegram:global", limit: 5, interval: 60)]
        let waits = try await withThrowingTaskGroup(of: TimeInterval.self) { group in
            for (index, store) in [a, b].enumerated() {
                for send in 0..<10 {
                    group.addTask { try await store.reserveSend("s\(index)-\(send)", in: window, at: Self.at(0)) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(waits.filter { $0 == 0 }.count == 5)
        // Unsettled sends count as going out now: a full minute to wait.
        #expect(waits.filter { $0 > 0 }.allSatisfy { $0 == 60 })
        #expect(try await a.pendingSend(in: window, at: Self.at(10)) == 60)
        #expect(try await b.reserveSend("late", in: window, at: Self.at(10)) == 60)
        for index in 0..<2 { for send in 0..<10 { try await a.settleSend("s\(index)-\(send)", at: Self.at(1)) } }
        #expect(try await b.pendingSend(in: window, at: Self.at(30)) == 31)
        #expect(try await b.reserveSend("after", in: window, at: Self.at(61.5)) == 0)
    }
}

/// What the rotations saw.
private actor Seen {
    var values: [String] = []
    func add(_ value: String) { values.append(value) }
}
