import Foundation

/// A replica as the shared store knows it.
public struct ReplicaRecord: Sendable, Hashable {
    public var name: String
    public var host: String
    public var pid: Int
    public var startedAt: Date
    public var heartbeatAt: Date
    /// Leases it holds now (expired ones left out), e.g. `poll:telegram`.
    public var leases: [String]

    public init(name: String, host: String, pid: Int, startedAt: Date, heartbeatAt: Date, leases: [String]) {
        self.name = name
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.leases = leases
    }
}

/// How replicas sharing one store take turns. Only a store several processes share (PostgreSQL) has one; with a
/// store used by one process the engine polls every platform and counts sends in memory.
///
/// Claims: in a shared store a claim (`MentionLedger.claim`, `beginPosting`, `recordPosted`) belongs to the replica
/// that made it and expires `leaseDuration` after its last heartbeat; a transition on a mention another live replica
/// holds fails (`claim` returns false, the others throw), so a mention is never worked on by two replicas at once.
public protocol ReplicaCoordinator: Sendable {
    /// This replica's name (`[replica] name`, default host:pid).
    var replicaName: String { get }
    /// How long a lease or a claim lasts without renewal (`[replica] lease_seconds`).
    var leaseDuration: Duration { get }
    /// Registers this replica (or records it alive) and extends its leases and claims by `leaseDuration`.
    func heartbeat(at date: Date) async throws
    /// Takes the named lease when it is free or expired, or renews it when this replica holds it; true while held.
    func holdLease(_ name: String, at date: Date) async throws -> Bool
    /// Gives up every lease of this replica and its registration (a clean stop); its claims become free at once.
    func leave() async throws
    /// Open mentions (`received`, `responding`, `posting`) of `platforms` that no live replica holds, oldest first, at
    /// most `limit`, now claimed by this replica (rows another replica is taking at the same moment are skipped, not
    /// waited for).
    func takeOpenMentions(limit: Int, platforms: Set<Platform>, at date: Date) async throws -> [LedgerEntry]
    /// Frees every claim of this replica on open mentions except `keys` (those it is working on): work that stopped
    /// here on an error is then taken again, by any replica, under the resume rules.
    func releaseClaims(keeping keys: [MentionKey]) async throws
    /// Runs `body` while no other replica runs a body under the same name (an advisory lock): for read-count-write
    /// steps such as policy limits.
    func exclusively<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T
    /// Every registered replica, live or not, by name.
    func replicas() async throws -> [ReplicaRecord]
}

/// One sliding send window counted in the shared store: at most `limit` sends per `interval` under `key`.
public struct SendWindow: Sendable, Hashable {
    public var key: String
    public var limit: Int
    public var interval: TimeInterval

    public init(key: String, limit: Int, interval: TimeInterval) {
        self.key = key
        self.limit = limit
        self.interval = interval
    }
}

/// Send windows counted by every replica together, so N replicas keep a platform's rules in sum.
public protocol SendWindowStore: Sendable {
    /// Atomically: when every window has room at `date`, records send `id` in each of them (counted as going out
    /// now until settled) and returns 0; otherwise records nothing and returns the seconds until they would have.
    func reserveSend(_ id: String, in windows: [SendWindow], at date: Date) async throws -> TimeInterval
    /// The seconds until every window would have room, recording nothing.
    func pendingSend(in windows: [SendWindow], at date: Date) async throws -> TimeInterval
    /// Moves send `id`'s unsettled records to `date` (when its answer came back).
    func settleSend(_ id: String, at date: Date) async throws
}

/// What a store shared by replicas adds.
public typealias ReplicaStore = ReplicaCoordinator & SendWindowStore

extension TokenStore {
    /// Replaces token `name` with what `rotate` makes of the stored value, with no other replica rotating it at the
    /// same time. A store used by one process reads and writes (its callers serialise); a shared store overrides
    /// this with a row lock held across `rotate`, so no replica ever uses a token another one rotated away.
    public func rotateToken(_ name: String, at date: Date,
                            _ rotate: @Sendable (String?) async throws -> String) async throws -> String {
        let next = try await rotate(try await token(name))
        try await saveToken(name, value: next, at: date)
        return next
    }
}

extension AdapterStateStore {
    /// Replaces the value under `key` with `transform` of the stored one, atomically among replicas (a shared store
    /// overrides this with a row lock); returns the new value. For counters such as X's windows and daily budgets.
    public func updateValue(_ key: String, platform: Platform, at date: Date,
                            _ transform: @Sendable (String?) throws -> String?) async throws -> String? {
        let next = try transform(try await value(key, for: platform))
        try await setValue(next, for: key, platform: platform, at: date)
        return next
    }
}
