import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorStore

/// A store opened from the configuration: the SQLite file one process uses, or the PostgreSQL database replicas
/// share.
public struct OpenedStore: Sendable {
    public let store: any BotStore
    /// The coordination among replicas, when the store is shared (PostgreSQL).
    public let replicas: (any ReplicaStore)?
    /// The path, or the URL without a password.
    public let description: String
    /// Export and import of the whole content (`store copy`).
    public let transfer: any TransferableStore
    private let closing: @Sendable () async throws -> Void
    private let checkWritable: @Sendable () async -> Bool

    public static func sqlite(_ store: SQLiteStore) -> OpenedStore {
        OpenedStore(store: store, replicas: nil, description: store.path, transfer: store, closing: { try store.close() },
                    checkWritable: { await store.isWritable() })
    }

    public static func postgres(_ store: PostgresStore) -> OpenedStore {
        OpenedStore(store: store, replicas: store, description: store.location.url, transfer: store,
                    closing: { await store.close() },
                    checkWritable: { await store.isWritable() })
    }

    /// Checkpoints and closes SQLite; stops PostgreSQL's pool.
    public func close() async throws { try await closing() }

    /// True when a write succeeds (for health checks).
    public func isWritable() async -> Bool { await checkWritable() }
}

/// Opens the store `[bot] store` names.
public enum StoreOpener {
    /// As replica `[replica] name` when the store is PostgreSQL. An unreachable database is a `.storage` error
    /// naming host:port; a schema newer than this binary a `.config` error.
    public static func open(_ configuration: ReplyTensorConfiguration, logger: Logger) async throws -> OpenedStore {
        try await open(configuration.storeLocation, password: configuration.bot.storePassword,
                       replicaName: configuration.replica.name, leaseSeconds: configuration.replica.leaseSeconds,
                       logger: logger)
    }

    /// For a command that reads or checks the store beside running replicas (`status`, `check`): a PostgreSQL store
    /// is opened under the name `role:host:pid`, never as one of the replicas (it sends no heartbeat, takes no lease
    /// and claims nothing).
    public static func openAsObserver(_ configuration: ReplyTensorConfiguration, role: String,
                                      logger: Logger) async throws -> OpenedStore {
        try await open(configuration.storeLocation, password: configuration.bot.storePassword,
                       replicaName: "\(role):\(ProcessInfo.processInfo.hostName):\(getpid())",
                       leaseSeconds: configuration.replica.leaseSeconds, logger: logger)
    }

    /// The store at `location` (`store copy` opens both sides this way).
    public static func open(_ location: StoreLocation, password: String?, replicaName: String, leaseSeconds: Double,
                            logger: Logger) async throws -> OpenedStore {
        switch location {
        case .sqlite(let url):
            return .sqlite(try SQLiteStore(path: url.path))
        case .postgres(let postgres):
            return .postgres(try await PostgresStore.open(
                location: postgres, password: password, replica: .current(name: replicaName),
                leaseSeconds: leaseSeconds, logger: logger))
        }
    }
}
