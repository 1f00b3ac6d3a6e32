import Foundation
import PostgresNIO
import ReplyTensorCore

extension PostgresStore: ReplicaCoordinator {
    public var replicaName: String { replica.name }
    public var leaseDuration: Duration { .milliseconds(Int64((leaseSeconds * 1000).rounded())) }

    /// Registers this replica (or records it alive) and extends its leases and the claims of its open mentions.
    /// A row under this name left by an earlier process (another incarnation: a restart with a configured name)
    /// means that process is gone: its claims are freed first, so `takeOpenMentions` resumes them. Call it before
    /// the first claim.
    public func heartbeat(at date: Date) async throws {
        let now = date.timeIntervalSince1970
        let expires = now + leaseSeconds
        let me = replica.name
        try await transaction { connection in
            let previous = try await connection.rows(
                "SELECT incarnation FROM replicas WHERE name = \(me) FOR UPDATE").first?.decode(String.self)
            if let previous, previous != self.incarnation {
                try await connection.execute("""
                    UPDATE mentions SET claimed_by = NULL, claim_expires = NULL
                    WHERE claimed_by = \(me) AND state IN \(unescaped: Self.openStates)
                    """)
            }
            try await connection.execute("""
                INSERT INTO replicas (name, host, pid, incarnation, started_at, heartbeat_at)
                VALUES (\(me), \(self.replica.host), \(self.replica.pid), \(self.incarnation), \(now), \(now))
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                    started_at = CASE WHEN replicas.incarnation = excluded.incarnation THEN replicas.started_at
                                      ELSE excluded.started_at END,
                    incarnation = excluded.incarnation, heartbeat_at = excluded.heartbeat_at
                """)
            if previous == self.incarnation || previous == nil {
                try await connection.execute("UPDATE leases SET expires = \(expires) WHERE holder = \(me)")
                try await connection.execute("""
                    UPDATE mentions SET claim_expires = \(expires)
                    WHERE claimed_by = \(me) AND state IN \(unescaped: Self.openStates)
                    """)
            }
        }
    }

    /// One statement: takes the lease when free or expired, renews it when held by this replica.
    public func holdLease(_ name: String, at date: Date) async throws -> Bool {
        let now = date.timeIntervalSince1970
        return try await !rows("""
            INSERT INTO leases (name, holder, expires) VALUES (\(name), \(replica.name), \(now + leaseSeconds))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
            WHERE leases.holder = excluded.holder OR leases.expires < \(now)
            RETURNING holder
            """).isEmpty
    }

    public func leave() async throws {
        let me = replica.name
        try await transaction { connection in
            try await connection.execute("DELETE FROM leases WHERE holder = \(me)")
            try await connection.execute("""
                UPDATE mentions SET claimed_by = NULL, claim_expires = NULL
                WHERE claimed_by = \(me) AND state IN \(unescaped: Self.openStates)
                """)
            try await connection.execute("DELETE FROM replicas WHERE name = \(me)")
        }
    }

    public func releaseClaims(keeping keys: [MentionKey]) async throws {
        try await execute("""
            UPDATE mentions SET claimed_by = NULL, claim_expires = NULL
            WHERE claimed_by = \(replica.name) AND state IN \(unescaped: Self.openStates)
              AND NOT EXISTS (SELECT 1 FROM unnest(\(keys.map(\.platform.rawValue)), \(keys.map(\.id))) AS kept(platform, id)
                              WHERE kept.platform = mentions.platform AND kept.id = mentions.id)
            """)
    }

    /// Rows another replica is locking at the same moment are skipped (`SKIP LOCKED`), so two takers never get the
    /// same mention and never wait for each other.
    public func takeOpenMentions(limit: Int, platforms: Set<Platform>, at date: Date) async throws -> [LedgerEntry] {
        guard limit > 0, !platforms.isEmpty else { return [] }
        let now = date.timeIntervalSince1970
        let columns = Self.entryColumns.split(separator: ",")
            .map { "m." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
        return try await rows("""
            UPDATE mentions AS m SET claimed_by = \(replica.name), claim_expires = \(now + leaseSeconds)
            FROM (SELECT platform, id FROM mentions
                  WHERE state IN \(unescaped: Self.openStates) AND platform = ANY(\(platforms.map(\.rawValue)))
                    AND (claimed_by IS NULL OR claim_expires IS NULL OR claim_expires < \(now))
                  ORDER BY admitted_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) AS free
            WHERE m.platform = free.platform AND m.id = free.id
            RETURNING \(unescaped: columns)
            """).map(Self.entry).sorted { $0.admittedAt < $1.admittedAt }
    }

    /// A pooled connection holds `pg_advisory_lock` on the name for the whole body and always unlocks it (the server
    /// also drops it if the connection dies). Callers in this process take turns per name first (`NamedTurns`). What
    /// `body` throws reaches the caller unchanged.
    public func exclusively<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await turns.acquire(name)
        do {
            let value = try await locked(name, body)
            await turns.release(name)
            return value
        } catch {
            await turns.release(name)
            throw error
        }
    }

    private func locked<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await storageRunning {
            try await client.withConnection { connection in
                try await connection.execute("SELECT pg_advisory_lock(\(Self.exclusiveSpace), hashtext(\(name)))")
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(CallerError(underlying: error)) }
                try await connection.execute("SELECT pg_advisory_unlock(\(Self.exclusiveSpace), hashtext(\(name)))")
                return try result.get()
            }
        }
    }

    /// The first key of `exclusively`'s two-int advisory locks (the send windows use another).
    static let exclusiveSpace: Int32 = 1

    public func replicas() async throws -> [ReplicaRecord] {
        let held = try await rows("SELECT name, holder, expires FROM leases ORDER BY name")
        var leases: [String: [String]] = [:]
        let now = Date().timeIntervalSince1970
        for row in held {
            let (name, holder, expires) = try row.decode((String, String, Double).self)
            if expires >= now { leases[holder, default: []].append(name) }
        }
        return try await rows("SELECT name, host, pid, started_at, heartbeat_at FROM replicas ORDER BY name").map { row in
            let (name, host, pid, started, heartbeat) = try row.decode((String, String, Int, Double, Double).self)
            return ReplicaRecord(name: name, host: host, pid: pid, startedAt: Date(timeIntervalSince1970: started),
                                 heartbeatAt: Date(timeIntervalSince1970: heartbeat), leases: leases[name] ?? [])
        }
    }
}
