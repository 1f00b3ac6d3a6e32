import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorTestSupport
import Testing

/// Engines sharing one PostgreSQL store (a private cluster on 127.0.0.1), as replicas in separate processes would:
/// each has its own store connection pool and replica name. They share one in-memory platform, so replies are
/// counted in one place and matched by the mention they answer.
@Suite("Engine replicas on one PostgreSQL store", .serialized)
struct ReplicaEngineTests {
    static let rules = PlatformRules(length: .utf16(4096), sendRules: [SendRule(.global, limit: 40, per: .seconds(1))],
                                     idempotentPost: true)

    struct Replica {
        let store: PostgresStore
        let engine: Engine
        let task: Task<Void, any Error>
    }

    static func start(_ store: PostgresStore, adapter: InMemoryAdapter, answerDelay: Duration = .zero) -> Replica {
        var logger = Logger(label: "test.\(store.replicaName)")
        logger.logLevel = .critical
        let configuration = EngineConfiguration(
            maxConcurrentReplies: 4, retentionDays: 0,
            limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 0))
        let engine = Engine(configuration: configuration, store: store, adapters: [adapter],
                            responder: InMemoryResponder { prompt in
                                if answerDelay > .zero { try? await Task.sleep(for: answerDelay) }
                                return "answer to \(prompt.question)"
                            }, plugins: [], logger: logger, replicas: store)
        return Replica(store: store, engine: engine, task: Task { try await engine.run() })
    }

    static func messages(_ adapter: InMemoryAdapter, _ range: Range<Int>) -> [InboundMessage] {
        range.map { adapter.makeMessage(id: "m\($0)", text: "question \($0)", author: Author(id: "u\($0 % 7)"),
                                        chat: "c\($0 % 5)") }
    }

    /// Replies per mention id.
    static func replyCounts(_ adapter: InMemoryAdapter) -> [String: Int] {
        adapter.posts.reduce(into: [:]) { $0[$1.mentionID, default: 0] += 1 }
    }

    @Test("two replicas: one polls, each mention is answered once, the send window is kept in sum")
    func twoReplicasShareTheWork() async throws {
        let database = try PostgresTestDatabase()
        let adapter = InMemoryAdapter(platform: "memory", rules: Self.rules)
        let injected = Self.messages(adapter, 0..<200)
        adapter.inject(injected)
        let a = Self.start(try await database.open(replica: "a", leaseSeconds: 3), adapter: adapter,
                           answerDelay: .milliseconds(20))
        let b = Self.start(try await database.open(replica: "b", leaseSeconds: 3), adapter: adapter,
                           answerDelay: .milliseconds(20))
        let done = await Polling.wait(timeout: .seconds(60)) { adapter.posts.count >= injected.count }
        #expect(done, "\(adapter.posts.count) of \(injected.count) answered")
        let leases = try await a.store.replicas().flatMap(\.leases)
        #expect(leases == ["poll:memory"], "exactly one replica holds the polling lease: \(leases)")
        for replica in [a, b] { replica.engine.shutdown() }
        for replica in [a, b] { try await replica.task.value }
        let counts = Self.replyCounts(adapter)
        #expect(injected.allSatisfy { counts[$0.id] == 1 }, "every mention answered exactly once")
        let ledger = try await a.store.stateCounts()["memory"] ?? [:]
        #expect(ledger[.answered] == injected.count, "\(ledger)")
        // The global rule (40 per second) held across both replicas: no 41 posts within any second.
        let times = adapter.posts.map(\.at).sorted()
        let crowded = times.indices.dropFirst(40).filter { times[$0].timeIntervalSince(times[$0 - 40]) < 1 }
        #expect(crowded.isEmpty, "\(crowded.count) posts beyond 40 per second")
        #expect(try await a.store.replicas().isEmpty, "both replicas left cleanly")
        for replica in [a, b] { await replica.store.close() }
    }

    @Test("the polling replica loses its store: it stops posting, the other takes the lease and its claims over")
    func takeoverAfterAReplicaDies() async throws {
        let database = try PostgresTestDatabase()
        let adapter = InMemoryAdapter(platform: "memory", rules: Self.rules)
        let first = Self.messages(adapter, 0..<60)
        adapter.inject(first)
        let a = Self.start(try await database.open(replica: "a", leaseSeconds: 3), adapter: adapter,
                           answerDelay: .milliseconds(300))
        let aHolds = await Polling.wait(timeout: .seconds(20)) {
            (try? await a.store.replicas())?.first { $0.name == "a" }?.leases == ["poll:memory"]
        }
        #expect(aHolds)
        let b = Self.start(try await database.open(replica: "b", leaseSeconds: 3), adapter: adapter,
                           answerDelay: .milliseconds(20))
        _ = await Polling.wait(timeout: .seconds(20)) { adapter.posts.count >= 5 }
        // A dies as far as the store can tell: its connections close, it can neither renew nor leave.
        await a.store.close()
        let second = Self.messages(adapter, 60..<120)
        adapter.inject(second)
        let observer = try await database.open(replica: "observer", leaseSeconds: 3)
        let takenOver = await Polling.wait(timeout: .seconds(30)) {
            (try? await observer.replicas())?.first { $0.name == "b" }?.leases == ["poll:memory"]
        }
        #expect(takenOver, "b took the polling lease over")
        let settled = await Polling.wait(timeout: .seconds(60)) {
            let counts = (try? await observer.stateCounts())?["memory"] ?? [:]
            return (counts[.answered] ?? 0) + (counts[.unknown] ?? 0) == first.count + second.count
        }
        let ledger = try await observer.stateCounts()["memory"] ?? [:]
        #expect(settled, "every mention finished: \(ledger)")
        a.engine.shutdown()
        b.engine.shutdown()
        _ = try? await a.task.value
        try await b.task.value
        let counts = Self.replyCounts(adapter)
        #expect((first + second).allSatisfy { (counts[$0.id] ?? 0) <= 1 }, "no mention answered twice")
        let answered = try await observer.recent(in: [.answered], limit: 1000)
        #expect(answered.allSatisfy { counts[$0.message.id] == 1 }, "every answered mention has its reply")
        #expect(second.allSatisfy { counts[$0.id] == 1 }, "mentions after the death all answered by b")
        await b.store.close()
        await observer.close()
    }

    @Test("PostgreSQL goes away and comes back: no post while it is down, then polling and posting resume")
    func outageStopsPosting() async throws {
        let cluster = try PostgresCluster.start()  // its own server: the outage must not touch other tests
        defer { cluster.stop() }
        let url = cluster.url(database: try cluster.newDatabase())
        let store = try await PostgresStore.open(location: try PostgresLocation(parsing: url), password: cluster.password,
                                                 replica: ReplicaIdentity(name: "a", host: "test-host", pid: 1),
                                                 leaseSeconds: 3, logger: Logger(label: "test"))
        let adapter = InMemoryAdapter(platform: "memory", rules: Self.rules)
        let first = Self.messages(adapter, 0..<40)
        adapter.inject(first)
        let a = Self.start(store, adapter: adapter, answerDelay: .milliseconds(150))
        _ = await Polling.wait(timeout: .seconds(30)) { adapter.posts.count >= 5 }
        try cluster.pauseServer()
        // Within a heartbeat (a second) the replica knows it cannot prove its claims; give it three.
        try await Task.sleep(for: .seconds(3))
        let duringOutage = adapter.posts.count
        let second = Self.messages(adapter, 40..<60)
        adapter.inject(second)
        try await Task.sleep(for: .seconds(3))
        #expect(adapter.posts.count == duringOutage, "posted while the store was unreachable")
        try cluster.resumeServer()
        // Requests held while the server was away fail after the store's deadline (30 s), then go again.
        let settled = await Polling.wait(timeout: .seconds(120)) {
            let counts = (try? await store.stateCounts())?["memory"] ?? [:]
            return (counts[.answered] ?? 0) + (counts[.unknown] ?? 0) == first.count + second.count
        }
        let ledger = try await store.stateCounts()["memory"] ?? [:]
        #expect(settled, "every mention finished after the outage: \(ledger)")
        a.engine.shutdown()
        try await a.task.value
        let counts = Self.replyCounts(adapter)
        #expect((first + second).allSatisfy { (counts[$0.id] ?? 0) <= 1 }, "no mention answered twice")
        #expect(second.allSatisfy { counts[$0.id] == 1 }, "mentions that arrived during the outage were answered")
        await store.close()
    }
}
