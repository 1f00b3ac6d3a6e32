import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorTestSupport

/// `engine --store postgresql://…` (or `--store private`): messages through the engine per second on a PostgreSQL store shared by 1 and by 3
/// replicas (engines in this process, each with its own connection pool and replica name, as separate processes
/// would have). Each replica has its own in-memory platform holding the same messages; only the replica holding the
/// polling lease admits them, and any replica may claim them. Replies are counted across the three platforms and
/// must be exactly one per message.
enum SharedEngineBenchmark {
    /// `url` names the database (password from REPLYTENSOR_STORE_PASSWORD), or is `private`: a private cluster
    /// started here on 127.0.0.1 (as the tests start one) and stopped at the end.
    static func run(url: String) async throws {
        var cluster: PostgresCluster?
        defer { cluster?.stop() }
        let location: PostgresLocation
        let password: String?
        if url == "private" {
            let started = try PostgresCluster.start()
            cluster = started
            location = try PostgresLocation(parsing: started.url(database: try started.newDatabase()))
            password = started.password
        } else {
            location = try PostgresLocation(parsing: url)
            password = ProcessInfo.processInfo.environment["REPLYTENSOR_STORE_PASSWORD"]
        }
        for replicas in [1, 3] {
            try await measure(location: location, password: password, replicas: replicas, count: 3_000)
        }
    }

    private static func measure(location: PostgresLocation, password: String?, replicas: Int, count: Int) async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let platform = Platform(rawValue: "bench-\(UUID().uuidString.prefix(8).lowercased())")
        var stores: [PostgresStore] = []
        var adapters: [InMemoryAdapter] = []
        var engines: [Engine] = []
        let configuration = EngineConfiguration(
            maxConcurrentReplies: 8, retentionDays: 0,
            limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 0))
        for index in 0..<replicas {
            let store = try await PostgresStore.open(
                location: location, password: password,
                replica: ReplicaIdentity(name: "bench-\(index)", host: "localhost", pid: Int(getpid())),
                leaseSeconds: 15, logger: logger)
            let adapter = InMemoryAdapter(platform: platform)
            adapter.inject((0..<count).map {
                adapter.makeMessage(id: "m\($0)", text: "question \($0)", author: Author(id: "u\($0 % 500)"),
                                    chat: "c\($0 % 100)")
            })
            stores.append(store)
            adapters.append(adapter)
            engines.append(Engine(configuration: configuration, store: store, adapters: [adapter],
                                  responder: InMemoryResponder { "instant answer to \($0.question)" }, plugins: [],
                                  logger: logger, replicas: store))
        }
        let start = ContinuousClock.now
        let tasks = engines.map { engine in Task { try await engine.run() } }
        while adapters.reduce(0, { $0 + $1.posts.count }) < count { try await Task.sleep(for: .milliseconds(5)) }
        let elapsed = ContinuousClock.now - start
        for engine in engines { engine.shutdown() }
        for task in tasks { try await task.value }
        let replies = adapters.flatMap { $0.posts.map(\.replyTo) }
        let perReplica = adapters.map(\.posts.count)
        for store in stores { await store.close() }
        guard replies.count == count, Set(replies).count == count else {
            throw BenchmarkError("\(replies.count) replies for \(count) messages (\(Set(replies).count) distinct)")
        }
        report(["benchmark": "engine_throughput_postgresql", "replicas": replicas, "messages": count,
                "seconds": elapsed.seconds, "messages_per_second": Double(count) / elapsed.seconds,
                "replies_per_replica": perReplica, "store": "postgresql \(location.endpoint)",
                "responder": "instant", "max_concurrent_replies": configuration.maxConcurrentReplies])
    }
}
