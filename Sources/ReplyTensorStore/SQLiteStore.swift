import Foundation
import GRDB
import ReplyTensorCore

/// The embedded store: one SQLite file in WAL mode, migrated on open. Implements every store protocol of Core.
///
/// Two connections serve the whole process: writes go to `StoreWriter`, which commits them in groups on its thread;
/// reads run on the caller's thread on the one reader connection (a WAL snapshot, never waiting for a commit).
/// Statements are prepared once and cached. Other processes (`status`, `check --offline`) read the same file
/// through WAL.
public final class SQLiteStore: Sendable {
    let database: DatabasePool
    private let writer: StoreWriter
    /// Serialises `rotateToken` per token name.
    let tokenRotations = TokenRotations()
    public let path: String

    /// Opens (creating if needed, mode 0600) the database at `path` and runs pending migrations.
    public init(path: String) throws {
        self.path = path
        try StoreFiles.prepare(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 1
        configuration.prepareDatabase { db in
            try db.execute(sql: SQLiteStore.normalSynchronous)
        }
        do {
            database = try Self.openAndMigrate(path: path, configuration: configuration)
        } catch {
            throw BotError(.storage, "cannot open the store at \(path): \(error)")
        }
        writer = StoreWriter(database: database)
    }

    /// Opens the database and runs pending migrations. Several processes opening a new file at once (`run` and
    /// `status`) race to switch it to WAL and to apply the first migration; the losers fail ("database is locked",
    /// "table already exists") and a retry finds the work done.
    private static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                let database = try DatabasePool(path: path, configuration: configuration)
                try StoreMigrations.migrator.migrate(database)
                return database
            } catch {
                attempt += 1
                if attempt >= 8 { throw error }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try database.read { try StoreMigrations.migrator.appliedMigrations($0) }
    }

    /// True when a write succeeds (for health checks).
    public func isWritable() async -> Bool {
        do {
            let now = Date().timeIntervalSince1970
            try await write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('health', ?)", arguments: [now])
            }
            return true
        } catch {
            return false
        }
    }

    /// Checkpoints the WAL into the main file and closes the database.
    public func close() throws {
        writer.drain()
        _ = try database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try database.close()
    }

    /// Every commit is atomic and consistent; with NORMAL (WAL) the last ones may roll back on a power loss.
    static let normalSynchronous = "PRAGMA synchronous = NORMAL"

    /// A write committed with `synchronous = NORMAL` (possibly with others, see `StoreWriter`).
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await write(durable: false, updates)
    }

    /// A write that survives a power loss once it returns.
    func durableWrite<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await write(durable: true, updates)
    }

    private func write<T: Sendable>(durable: Bool, _ updates: @escaping @Sendable (Database) throws -> T) async throws
        -> T {
        do {
            return try await writer.write(durable: durable, updates)
        } catch let error as BotError {
            throw error
        } catch {
            throw BotError(.storage, "store write failed: \(error)", underlying: error)
        }
    }

    /// A read on the reader connection, on the caller's thread. Each read is one statement (or statements whose
    /// results need not agree), so it runs without a transaction of its own: SQLite gives every statement a
    /// consistent snapshot.
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try database.unsafeRead(value)
        } catch {
            throw BotError(.storage, "store read failed: \(error)", underlying: error)
        }
    }
}
