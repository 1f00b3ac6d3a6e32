import Foundation
import GRDB
@testable import ReplyTensorStore
import ReplyTensorCore
import Testing

@Suite("SQLite store on a real file")
struct SQLiteStoreTests {
    @Test("everything survives closing and reopening the file")
    func reopen() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("bot.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.admit([message("1")], at: Date())
            _ = try await store.claim(message("1").key, at: Date())
            try await store.saveCursors(["offset": "42"], for: .telegram, at: Date())
            try await store.saveToken("t", value: "v", at: Date())
            try store.close()
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.entry(message("1").key)?.state == .responding)
        #expect(try await reopened.cursors(for: .telegram) == ["offset": "42"])
        #expect(try await reopened.token("t") == "v")
        #expect(try reopened.appliedMigrations() == ["v1-ledger-and-cursors", "v2-limits-tokens-state",
                                                     "v3-conversation-log-and-backend", "v4-fewer-ledger-indexes"])
    }

    @Test("several connections opening a new file at once (the bot and `status`) all succeed")
    func concurrentFirstOpen() async throws {
        for _ in 0..<5 {
            let path = try TemporaryDirectory.make().appendingPathComponent("bot.sqlite").path
            let failures = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do { _ = try SQLiteStore(path: path); return nil } catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: [String]()) { list, failure in failure.map { list.append($0) } }
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test("a database written by the first schema version opens, migrates and keeps its rows")
    func migratesEarlierSchema() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v1-ledger-and-cursors")
            let json = String(decoding: try LedgerCoding.encoder.encode(message("old")), as: UTF8.self)
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO mentions (platform, id, state, message, chat_id, author_id, admitted_at, updated_at)
                    VALUES ('telegram', 'old', 'received', ?, 'c1', 'u1', 1, 1)
                    """, arguments: [json])
                try db.execute(sql: "INSERT INTO cursors VALUES ('telegram', 'offset', '7', 1)")
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.appliedMigrations().count == 4)
        #expect(try await store.entry(message("old").key)?.message.text == message("old").text)
        #expect(try await store.unfinished().map(\.message.id) == ["old"])
        #expect(try await store.cursors(for: .telegram) == ["offset": "7"])
        try await store.append(LoggedMessage(platform: .telegram, chatID: "c", messageID: "m", parentID: nil, authorID: "a",
                                             authorName: "a", fromBot: false, text: "t", at: Date()))
    }

    @Test("the database runs in WAL mode and close checkpoints the WAL away")
    func walMode() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("wal.sqlite").path
        let store = try SQLiteStore(path: path)
        let mode = try await store.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        _ = try await store.admit((0..<100).map { message("w\($0)") }, at: Date())
        #expect(await store.isWritable())
        try store.close()
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0)
    }

    @Test("a file that is not a database is a clear storage error")
    func corruptFile() throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("junk.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: BotError.self) { try SQLiteStore(path: path) }
    }

    @Test("concurrent admits of the same messages insert each exactly once")
    func concurrentAdmits() async throws {
        let store = try SQLiteStore(path: try TemporaryDirectory.make().appendingPathComponent("c.sqlite").path)
        let batch = (0..<200).map { message("c\($0)") }
        let total = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { (try? await store.admit(batch.shuffled(), at: Date()).count) ?? -1 } }
            return await group.reduce(0, +)
        }
        #expect(total == 200)
    }
}

@Suite("SQLite query plans")
struct SQLiteQueryPlanTests {
    /// What SQLite plans for `sql`, one line per step.
    static func plan(_ store: SQLiteStore, _ sql: String) throws -> String {
        try store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    /// The count names its index (`INDEXED BY`): on a young ledger without statistics SQLite would otherwise pick
    /// the primary key's `platform` prefix, which covers every row of the platform.
    @Test("policy counts read a range of the claims index, resume reads the open-mentions index, lookups the key")
    func plans() throws {
        let store = try SQLiteStore(path: try TemporaryDirectory.make().appendingPathComponent("plan.sqlite").path)
        let count = try Self.plan(store, """
            SELECT COUNT(*) FROM mentions INDEXED BY mentions_claims WHERE claimed_at >= 1
            AND (state IN ('responding', 'posting', 'answered', 'unknown') OR (state = 'failed' AND reply_ids != '[]'))
            AND platform = 'telegram' AND author_id = 'u1'
            """)
        #expect(count.contains("USING COVERING INDEX mentions_claims (claimed_at>?)"), "\(count)")
        let open = try Self.plan(store, """
            SELECT * FROM mentions WHERE state IN ('received', 'responding', 'posting') ORDER BY admitted_at
            """)
        #expect(open.contains("USING INDEX mentions_open"), "\(open)")
        let lookup = try Self.plan(store, "SELECT * FROM mentions WHERE platform = 'telegram' AND id = 'm1'")
        #expect(lookup.contains("USING PRIMARY KEY (platform=? AND id=?)"), "\(lookup)")
    }
}
