import Foundation
import GRDB
import ReplyTensorCore

/// The embedded store: one SQLite file in WAL mode, migrated on open. Implements every store protocol of Core.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed, mode 0600) the database at `path` and runs pending migrations.
    public init(path: String) throws {
        self.path = path
        try StoreFiles.prepare(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: SQLiteStore.normalSynchronous)
        }
        do {
            pool = try Self.openAndMigrate(path: path, configuration: configuration)
        } catch {
            throw BotError(.storage, "cannot open the store at \(path): \(error)")
        }
    }

    /// Opens the pool and runs pending migrations. Several processes opening a new file at once (`run` and `status`)
    /// race to switch it to WAL and to apply the first migration; the losers fail ("database is locked", "table
    /// already exists") and a retry finds the work done.
    private static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try StoreMigrations.migrator.migrate(pool)
                return pool
            } catch {
                attempt += 1
                if attempt >= 8 { throw error }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try StoreMigrations.migrator.appliedMigrations($0) }
    }

    /// True when a write succeeds (for health checks).
    public func isWritable() async -> Bool {
        do {
            try await pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('health', ?)",
                               arguments: [Date().timeIntervalSince1970])
            }
            return true
        } catch {
            return false
        }
    }

    /// Checkpoints the WAL into the main file and closes the database.
    public func close() throws {
        _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
    }

    func write<T: Sendable>(_ updates: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(updates)
        } catch let error as BotError {
            throw error
        } catch {
            throw BotError(.storage, "store write failed: \(error)", underlying: error)
        }
    }

    /// Every commit is atomic and consistent; with NORMAL (WAL) the last ones may roll back on a power loss.
    static let normalSynchronous = "PRAGMA synchronous = NORMAL"

    /// A write that survives a power loss once it returns: its transaction commits with `synchronous = FULL` (the
    /// WAL is fsynced at the commit, and with it every earlier commit), the rest of the store keeps NORMAL. SQLite
    /// refuses to change the level inside a transaction, so it is set around it on the writer connection, which
    /// runs one write at a time.
    func durableWrite<T: Sendable>(_ updates: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: SQLiteStore.normalSynchronous) }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try updates(db)
                    return .commit
                }
                guard let result else { throw BotError(.storage, "durable write returned nothing") }
                return result
            }
        } catch let error as BotError {
            throw error
        } catch {
            throw BotError(.storage, "store write failed: \(error)", underlying: error)
        }
    }

    func read<T: Sendable>(_ value: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(value)
        } catch {
            throw BotError(.storage, "store read failed: \(error)", underlying: error)
        }
    }
}
