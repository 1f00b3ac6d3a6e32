import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorStore

/// Messages through the whole engine per second: in-memory platform, instant responder, SQLite on disk. The goal's
/// figure is at the contract's `max_concurrent_replies = 8`; a last run at 32 shows what a wider setting buys
/// (`engine_throughput_wider`).
enum EngineBenchmark {
    static func run() async throws {
        for (count, width) in [(2_000, 8), (10_000, 8), (10_000, 32)] {
            let store = try SQLiteStore(path: temporaryStorePath("engine.sqlite"))
            let adapter = InMemoryAdapter(platform: "bench")
            adapter.inject((0..<count).map {
                adapter.makeMessage(id: "m\($0)", text: "question \($0)", author: Author(id: "u\($0 % 500)"),
                                    chat: "c\($0 % 100)")
            })
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            var configuration = EngineConfiguration(
                maxConcurrentReplies: width, retentionDays: 0,
                limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 0))
            configuration.contextDepth = 4
            let engine = Engine(configuration: configuration, store: store, adapters: [adapter],
                                responder: InMemoryResponder { "instant answer to \($0.question)" }, plugins: [], logger: logger)
            let start = ContinuousClock.now
            let task = Task { try await engine.run() }
            while adapter.posts.count < count { try await Task.sleep(for: .milliseconds(5)) }
            let elapsed = ContinuousClock.now - start
            engine.shutdown()
            try await task.value
            try store.close()
            report(["benchmark": width == 8 ? "engine_throughput" : "engine_throughput_wider", "messages": count, "seconds": elapsed.seconds,
                    "messages_per_second": Double(count) / elapsed.seconds, "store": "sqlite-on-disk",
                    "responder": "instant", "max_concurrent_replies": configuration.maxConcurrentReplies,
                    "workers": Engine.workers(for: configuration)])
        }
    }
}
