import Foundation
import Logging
import ReplyTensorCore
@testable import ReplyTensorPostgres
import ReplyTensorTestSupport
import Testing

@Suite("PostgreSQL store: location, opening, migrations")
struct PostgresStoreTests {
    @Test("URLs parse (both schemes, default port, every sslmode) and print without a password")
    func parsing() throws {
        let full = try PostgresLocation(parsing: "postgresql://bot@db.example:6543/replies?sslmode=verify-full")
        #expect(full == PostgresLocation(user: "bot", host: "db.example", port: 6543, database: "replies",
                                         sslMode: .verifyFull))
        let short = try PostgresLocation(parsing: "postgres://bot@127.0.0.1/replies")
        #expect(short.port == 5432)
        #expect(short.sslMode == .disable)
        #expect(try PostgresLocation(parsing: "postgresql://bot@[::1]:5433/r?sslmode=require").endpoint == "[::1]:5433")
        #expect(full.description == "bot@db.example:6543/replies (sslmode=verify-full)")
        #expect(PostgresLocation.isURL("POSTGRESQL://x@y/z"))
        #expect(!PostgresLocation.isURL("/var/lib/replytensor/bot.sqlite"))
    }

    @Test("a password in the URL, an unknown sslmode or a missing part is a config error that never repeats the password",
          arguments: ["postgresql://bot:s3cr3t-pass@127.0.0.1:5432/db", "postgresql://bot@127.0.0.1/db?sslmode=prefer",
                      "postgresql://127.0.0.1/db", "postgresql://bot@127.0.0.1/", "postgresql://bot@127.0.0.1/db?user=x"])
    func refusals(_ url: String) throws {
        do {
            _ = try PostgresLocation(parsing: url)
            Issue.record("\(url) was accepted")
        } catch let error as BotError {
            #expect(error.code == .config)
            #expect(!error.message.contains("s3cr3t"))
            if url.contains("s3cr3t") { #expect(error.message.contains("store_password_env")) }
        }
    }

    @Test("three replicas opening an empty database at once migrate it once")
    func concurrentOpens() async throws {
        let database = try PostgresTestDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for index in 0..<3 { group.addTask { try await database.open(replica: "r\(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 3)
        for store in stores {
            #expect(try await store.appliedMigrations() == PostgresMigrator.migrations.map(\.version))
            await store.close()
        }
    }

    @Test("a schema newer than the binary is a config error saying to upgrade")
    func newerSchema() async throws {
        let database = try PostgresTestDatabase()
        let store = try await database.open()
        try await store.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (\(PostgresMigrator.latest + 1), 0)")
        await store.close()
        do {
            _ = try await database.open()
            Issue.record("a newer schema was accepted")
        } catch let error as BotError {
            #expect(error.code == .config)
            #expect(error.message.contains("v\(PostgresMigrator.latest + 1)"))
            #expect(error.message.contains("upgrade the binary"))
        }
    }

    @Test("an unreachable server is a storage error naming 127.0.0.1:PORT and the cause")
    func unreachable() async throws {
        let port = try PostgresCluster.freePort()
        let location = PostgresLocation(user: "replytensor", host: "127.0.0.1", port: port, database: "nothing")
        do {
            _ = try await PostgresStore.open(location: location, password: "pw-never-shown", logger: Logger(label: "t"))
            Issue.record("a closed port was reachable")
        } catch let error as BotError {
            #expect(error.code == .storage)
            #expect(error.message.hasPrefix("cannot reach PostgreSQL at 127.0.0.1:\(port): "))
            #expect(error.message.count > "cannot reach PostgreSQL at 127.0.0.1:\(port): ".count)
            #expect(!error.message.contains("pw-never-shown"))
        }
    }

    @Test("a wrong password is a storage error naming the server, without the password")
    func wrongPassword() async throws {
        let database = try PostgresTestDatabase()
        do {
            _ = try await PostgresStore.open(location: database.location, password: "wrong-pass-123",
                                             logger: Logger(label: "t"))
            Issue.record("a wrong password was accepted")
        } catch let error as BotError {
            #expect(error.code == .storage)
            #expect(error.message.contains("127.0.0.1:\(database.cluster.port)"))
            #expect(error.message.contains("password authentication failed"))
            #expect(!error.message.contains("wrong-pass-123"))
        }
    }

    @Test("a replica restarted under the same name frees its earlier process's claims at its first heartbeat")
    func restartFreesClaims() async throws {
        let database = try PostgresTestDatabase()
        let a = try await database.open(replica: "a", leaseSeconds: 5)
        let b = try await database.open(replica: "b", leaseSeconds: 5)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await a.admit([message("1")], at: start)
        try await a.heartbeat(at: start)
        #expect(try await a.claim(message("1").key, at: start))
        try await a.heartbeat(at: start.addingTimeInterval(3))
        #expect(try await b.takeOpenMentions(limit: 5, platforms: [.telegram], at: start.addingTimeInterval(4)).isEmpty)
        // The row now looks written by an earlier process named "a" (a restart: same name, another incarnation).
        try await a.execute("UPDATE replicas SET incarnation = 'an-earlier-process' WHERE name = 'a'")
        try await a.heartbeat(at: start.addingTimeInterval(4))
        let taken = try await b.takeOpenMentions(limit: 5, platforms: [.telegram], at: start.addingTimeInterval(4))
        #expect(taken.map(\.message.id) == ["1"])
        #expect(try await a.replicas().first { $0.name == "a" }?.startedAt == start.addingTimeInterval(4))
    }
}
