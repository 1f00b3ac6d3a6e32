import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ReplyTensorCore

/// Who this process is among the replicas sharing a store.
public struct ReplicaIdentity: Sendable, Hashable {
    public var name: String
    public var host: String
    public var pid: Int

    public init(name: String, host: String, pid: Int) {
        self.name = name
        self.host = host
        self.pid = pid
    }

    /// This process: `name`, or `HOST:PID` when nil or empty.
    public static func current(name: String? = nil) -> ReplicaIdentity {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let chosen = name.flatMap { $0.isEmpty ? nil : $0 } ?? "\(host):\(pid)"
        return ReplicaIdentity(name: chosen, host: host, pid: pid)
    }
}

/// The store several replicas share: one PostgreSQL database, reached through a `PostgresClient` pool. Implements
/// every store protocol of Core plus `ReplicaCoordinator` and `SendWindowStore`.
///
/// Times are stored as double precision seconds since 1970, like the SQLite store, and every decision about expiry
/// (leases, claims, send windows) uses the `date` its caller passes: replicas' clocks are assumed NTP-synchronised
/// (a skew of a second or two only shortens or lengthens a lease by as much). PostgreSQL commits are durable
/// (`synchronous_commit = on`, its default), so a `posting` mark or a rotated token survives a crash once written.
public final class PostgresStore: Sendable {
    public let location: PostgresLocation
    public let replica: ReplicaIdentity
    /// Random per process (shared by every store the process opens): a replica restarted under the same name is a
    /// new incarnation (see `heartbeat`).
    var incarnation: String { Self.processIncarnation }
    private static let processIncarnation = UUID().uuidString
    public let leaseSeconds: Double
    let client: PostgresClient
    let turns = NamedTurns()
    private let runner: Task<Void, Never>

    /// PostgresNIO logs queries with their bound values at debug level; the store never hands it a logger that
    /// would print them (tokens are bound values).
    static let quiet = Logger(label: "replytensor.postgres.quiet", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, replica: ReplicaIdentity, leaseSeconds: Double, client: PostgresClient,
                 runner: Task<Void, Never>) {
        self.location = location
        self.replica = replica
        self.leaseSeconds = leaseSeconds
        self.client = client
        self.runner = runner
    }

    /// Connects once (an unreachable server is a `.storage` error naming host:port and the cause), applies pending
    /// migrations under an advisory lock, then starts the pool.
    public static func open(location: PostgresLocation, password: String?, replica: ReplicaIdentity = .current(),
                            leaseSeconds: Double = 15, logger: Logger) async throws -> PostgresStore {
        let tls = try PostgresTLS(location.sslMode)
        try await PostgresMigrator.migrate(location: location, password: password, tls: tls)
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port,
                                                         username: location.user, password: password,
                                                         database: location.database, tls: tls.clientTLS)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let runner = Task { await client.run() }
        logger.debug("store opened", metadata: ["store": "\(location)", "replica": "\(replica.name)"])
        return PostgresStore(location: location, replica: replica, leaseSeconds: leaseSeconds, client: client,
                             runner: runner)
    }

    /// Stops the pool (its connections close).
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// True when a write succeeds (for health checks).
    public func isWritable() async -> Bool {
        do {
            try await execute("INSERT INTO meta (key, value) VALUES ('health', \(String(Date().timeIntervalSince1970))) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            return true
        } catch {
            return false
        }
    }

    /// The versions of the migrations applied, in order.
    public func appliedMigrations() async throws -> [Int] {
        try await rows("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode(Int.self) }
    }

    /// A server setting as this store's sessions see it (e.g. `synchronous_commit`).
    public func serverSetting(_ name: String) async throws -> String? {
        try await rows("SELECT current_setting(\(name))").first?.decode(String.self)
    }

    // MARK: Running statements

    /// Every row of `query`, as a storage error when it fails.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await storage { try await self.client.query(query, logger: Self.quiet).collect() }
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs `body` in one transaction on one connection (committed when it returns, rolled back when it throws).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await storage {
            try await self.client.withConnection { connection in
                try await Self.transaction(on: connection, body)
            }
        }
    }

    /// `transaction` for a body that runs a caller's closure (which cannot escape): its deadline waits for the
    /// cancelled request to end.
    func transactionRunning<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await storageRunning {
            try await self.client.withConnection { connection in
                try await Self.transaction(on: connection, body)
            }
        }
    }

    static func transaction<T: Sendable>(on connection: PostgresConnection,
                                         _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await connection.query("BEGIN", logger: quiet)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: quiet)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: quiet)
            throw error
        }
    }

    /// How long one store operation may take. While the database is away a request waits for a connection (the pool
    /// retries with back-off) instead of failing; the deadline turns that into a storage error the engine handles,
    /// and the request after it gets a fresh connection once the server is back. Long enough for a token refresh
    /// inside `rotateToken`'s lock.
    static let operationDeadline: Duration = .seconds(30)

    private struct NoAnswer: Error {}

    /// Maps driver failures to `BotError(.storage, …)` (our own errors pass through), and a request without an answer
    /// within `operationDeadline` to one. The request is abandoned then (it may still end in the background): a
    /// driver waiting on a server that went away does not always end on cancellation.
    func storage<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await mapped {
            try await withAbandoningDeadline(Self.operationDeadline, clock: ContinuousClock(), onTimeout: { NoAnswer() },
                                             body)
        }
    }

    /// `storage` for a body that runs a caller's closure (which cannot escape): the deadline cancels the request and
    /// waits for it to end.
    func storageRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await mapped {
            try await withoutActuallyEscaping(body) { body in
                try await withDeadline(Self.operationDeadline, clock: ContinuousClock(), onTimeout: { NoAnswer() }) {
                    try await body()
                }
            }
        }
    }

    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is NoAnswer {
            throw BotError(.storage, "PostgreSQL at \(location.endpoint): no answer within "
                               + "\(Self.operationDeadline.components.seconds) s")
        } catch let error as BotError {
            throw error
        } catch let error as CallerError {
            throw error.underlying
        } catch {
            throw BotError(.storage, "PostgreSQL at \(location.endpoint): \(PostgresErrorText.describe(error))")
        }
    }
}

extension PostgresConnection {
    /// The rows of `query` on this connection (inside a transaction).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: PostgresStore.quiet).collect()
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }
}

/// An error thrown by a caller's closure run inside a transaction (`updateValue`, `rotateToken`): it reaches the
/// caller unchanged, not as a storage error.
struct CallerError: Error {
    let underlying: any Error

    static func passing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw CallerError(underlying: error) }
    }

    static func passing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw CallerError(underlying: error) }
    }
}
