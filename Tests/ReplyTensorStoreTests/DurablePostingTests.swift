import Foundation
import GRDB
@testable import ReplyTensorStore
import ReplyTensorCore
import Testing

@Suite("Durable transitions")
struct DurablePostingTests {
    @Test("the posting transition and token saves commit with synchronous = FULL; other writes keep NORMAL")
    func postingIsDurable() async throws {
        let store = try SQLiteStore(path: try TemporaryDirectory.make().appendingPathComponent("bot.sqlite").path)
        // Temporary triggers live on the writer connection and record the level while the transaction runs.
        try await store.database.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TABLE observed (what TEXT, level INTEGER);
                CREATE TEMP TRIGGER mention_state AFTER UPDATE OF state ON main.mentions BEGIN
                    INSERT INTO observed SELECT NEW.state, synchronous FROM pragma_synchronous;
                END;
                CREATE TEMP TRIGGER token_saved AFTER INSERT ON main.tokens BEGIN
                    INSERT INTO observed SELECT 'token', synchronous FROM pragma_synchronous;
                END;
                """)
        }
        let key = message("1").key
        _ = try await store.admit([message("1")], at: Date())
        _ = try await store.claim(key, at: Date())
        try await store.beginPosting(key, parts: ["answer"], backend: "gateway", at: Date())
        try await store.finish(key, state: .answered, reason: nil, at: Date())
        try await store.saveToken("x.refresh", value: "rotated", at: Date())
        let observed = try await store.database.writeWithoutTransaction { db in
            try Row.fetchAll(db, sql: "SELECT what, level FROM observed").map { "\($0["what"] as String):\($0["level"] as Int)" }
        }
        // 1 = NORMAL, 2 = FULL.
        #expect(observed == ["responding:1", "posting:2", "answered:1", "token:2"])
        let after = try await store.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(after == 1)
    }

    @Test("PostgreSQL: sessions commit synchronously, and a posting mark is on the server when beginPosting returns")
    func postgresPostingIsDurable() async throws {
        let database = try PostgresTestDatabase()
        let store = try await database.open()
        // synchronous_commit = on: COMMIT returns once the commit's WAL is flushed to disk
        // (https://www.postgresql.org/docs/15/runtime-config-wal.html#GUC-SYNCHRONOUS-COMMIT). The store must not
        // lower it for any transition.
        #expect(try await store.serverSetting("synchronous_commit") == "on")
        let key = message("1").key
        _ = try await store.admit([message("1")], at: Date())
        _ = try await store.claim(key, at: Date())
        try await store.beginPosting(key, parts: ["answer"], backend: "gateway", at: Date())
        try await store.saveToken("x.refresh", value: "rotated", at: Date())
        // Another process (a second store, its own connections) sees both at once.
        let other = try await database.open()
        let entry = try await other.entry(key)
        #expect(entry?.state == .posting)
        #expect(entry?.replyParts == ["answer"])
        #expect(try await other.token("x.refresh") == "rotated")
        #expect(try await other.serverSetting("synchronous_commit") == "on")
        await store.close()
        await other.close()
    }
}
