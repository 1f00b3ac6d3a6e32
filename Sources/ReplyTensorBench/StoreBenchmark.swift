import Foundation
import ReplyTensorCore
import ReplyTensorStore

/// The ledger's insert and lookup cost at 1,000 and 1,000,000 rows.
enum StoreBenchmark {
    static func message(_ index: Int) -> InboundMessage {
        InboundMessage(platform: .telegram, id: "m\(index)", chat: ChatRef(id: "c\(index % 1000)", kind: .group),
                       author: Author(id: "u\(index % 5000)", handle: "user\(index % 5000)"),
                       text: "a typical question of about sixty characters, number \(index)", addressedAs: .mention,
                       createdAt: Date())
    }

    static func run() async throws {
        let store = try SQLiteStore(path: temporaryStorePath("store.sqlite"))
        var rows = 0
        for target in [1_000, 1_000_000] {
            // Grow the ledger to `target` rows in batches.
            while rows < target {
                let batch = min(10_000, target - rows)
                _ = try await store.admit((rows..<(rows + batch)).map(message), at: Date())
                rows += batch
            }
            // Insert cost: 1,000 new mentions, one admit call each (as a poll page of one).
            let insertCount = 1_000
            var start = ContinuousClock.now
            for index in rows..<(rows + insertCount) { _ = try await store.admit([message(index)], at: Date()) }
            let insertTime = ContinuousClock.now - start
            rows += insertCount
            // Batched insert cost: one page of 100.
            start = ContinuousClock.now
            _ = try await store.admit((rows..<(rows + 100)).map(message), at: Date())
            let pageTime = ContinuousClock.now - start
            rows += 100
            // Duplicate admit (the dedup path) and lookups of random existing keys.
            let lookups = 2_000
            start = ContinuousClock.now
            for _ in 0..<lookups {
                let key = MentionKey(platform: .telegram, id: "m\(Int.random(in: 0..<rows))")
                guard try await store.entry(key) != nil else { fatalError("lookup missed \(key)") }
            }
            let lookupTime = ContinuousClock.now - start
            start = ContinuousClock.now
            for _ in 0..<lookups { _ = try await store.admit([message(Int.random(in: 0..<rows))], at: Date()) }
            let duplicateTime = ContinuousClock.now - start
            start = ContinuousClock.now
            let counted = try await store.countReplies(ReplyCountQuery(platform: .telegram, authorID: "u42",
                                                                       since: Date().addingTimeInterval(-3600)))
            let countTime = ContinuousClock.now - start
            report(["benchmark": "ledger", "rows": target,
                    "insert_us_per_mention": insertTime.seconds / Double(insertCount) * 1e6,
                    "insert_page_of_100_ms": pageTime.seconds * 1e3,
                    "lookup_us": lookupTime.seconds / Double(lookups) * 1e6,
                    "duplicate_admit_us": duplicateTime.seconds / Double(lookups) * 1e6,
                    "policy_count_query_us": countTime.seconds * 1e6, "policy_count_result": counted,
                    "file_bytes": (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0])
        }
        try await transitions(store, from: rows)
        try store.close()
    }

    /// The cost of the ledger's state transitions, one commit each: `claim` and `finish` commit with
    /// `synchronous = NORMAL`, `beginPosting` with FULL (it must survive a power loss), so the difference is the
    /// price of one fsynced commit.
    static func transitions(_ store: SQLiteStore, from first: Int) async throws {
        let count = 500
        let keys = (first..<(first + count)).map { MentionKey(platform: .telegram, id: "m\($0)") }
        _ = try await store.admit((first..<(first + count)).map(message), at: Date())
        var times: [String: Duration] = [:]
        func measure(_ name: String, _ step: (MentionKey) async throws -> Void) async throws {
            let start = ContinuousClock.now
            for key in keys { try await step(key) }
            times[name] = ContinuousClock.now - start
        }
        try await measure("claim") { _ = try await store.claim($0, at: Date()) }
        try await measure("posting") { try await store.beginPosting($0, parts: ["an answer"], backend: "bench", at: Date()) }
        try await measure("answered") { try await store.finish($0, state: .answered, reason: nil, at: Date()) }
        func perCommit(_ name: String) -> Double { (times[name] ?? .zero).seconds / Double(count) * 1e6 }
        report(["benchmark": "ledger_transitions", "mentions": count,
                "claim_normal_us": perCommit("claim"), "posting_full_us": perCommit("posting"),
                "answered_normal_us": perCommit("answered"),
                "full_over_normal_us": perCommit("posting") - (perCommit("claim") + perCommit("answered")) / 2])
    }
}
