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
    private let closing: @Sendable () async throws -> Void
    private let checkWritable: @Sendable () async -> Bool

    public static func sqlite(_ store: SQLiteStore) -> OpenedStore {
        OpenedStore(store: store, replicas: nil, description: store.path, closing: { try store.close() },
                    checkWritable: { await store.isWritable() })
    }

    public static func postgres(_ store: PostgresStore) -> OpenedStore {
        OpenedStore(store: store, replicas: store, description: store.location.url, closing: { await store.close() },
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
        guard let location = configuration.bot.postgres else {
            return .sqlite(try SQLiteStore(path: configuration.bot.store.path))
        }
        let store = try await PostgresStore.open(
            location: location, password: configuration.bot.storePassword,
            replica: .current(name: configuration.replica.name), leaseSeconds: configuration.replica.leaseSeconds,
            logger: logger)
        return .postgres(store)
    }
}
