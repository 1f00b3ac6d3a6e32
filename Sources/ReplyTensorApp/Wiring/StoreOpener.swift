import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorStore

/// A store opened from its location: what the engine uses, what replicas share (PostgreSQL only), what `store copy`
/// moves, and how to close it.
public struct OpenedStore: Sendable {
    public let location: StoreLocation
    public let store: any BotStore
    /// Leases, claims and shared send windows: nil for a store one process uses (SQLite).
    public let replicas: (any ReplicaStore)?
    public let transfer: any TransferableStore
    private let closer: @Sendable () async -> Void

    init(location: StoreLocation, sqlite: SQLiteStore) {
        self.location = location
        store = sqlite
        replicas = nil
        transfer = sqlite
        closer = { try? sqlite.close() }
    }

    init(location: StoreLocation, postgres: PostgresStore) {
        self.location = location
        store = postgres
        replicas = postgres
        transfer = postgres
        closer = { await postgres.close() }
    }

    /// Closes the store (SQLite checkpoints its WAL; PostgreSQL stops its pool).
    public func close() async { await closer() }
}

/// Opens the store a configuration (or `store copy`) names. SQLite: the file (created 0600, migrated); the one-bot
/// lock stays with the caller (`StoreLock`). PostgreSQL: connects once (an unreachable server is a `.storage` error
/// naming host:port), migrates under an advisory lock, and registers nothing until the first heartbeat.
public enum StoreOpener {
    public static func open(_ location: StoreLocation, password: String?, replica: ReplicaSettings = ReplicaSettings(),
                            logger: Logger) async throws -> OpenedStore {
        switch location {
        case .sqlite(let url):
            return OpenedStore(location: location, sqlite: try SQLiteStore(path: url.path))
        case .postgres(let postgres):
            let store = try await PostgresStore.open(location: postgres, password: password, replica: replica.identity,
                                                     leaseSeconds: replica.leaseSeconds, logger: logger)
            return OpenedStore(location: location, postgres: store)
        }
    }

    /// The store of `configuration` (`[bot] store`, its password, `[replica]`).
    public static func open(_ configuration: ReplyTensorConfiguration, logger: Logger) async throws -> OpenedStore {
        try await open(configuration.bot.storeLocation, password: configuration.bot.storePassword,
                       replica: configuration.replica, logger: logger)
    }
}
