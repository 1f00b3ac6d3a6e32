import Foundation
import NIOCore
import NIOFoundationCompat
import PostgresNIO
import ReplyTensorCore

extension PostgresStore: MentionLedger {
    /// The open states, as SQL.
    static let openStates = "('received', 'responding', 'posting')"

    /// The columns an entry is read from, in the order `entry(_:)` reads them.
    static let entryColumns = """
        message, state, attempts, reason, reply_ids, reply_parts, backend, admitted_at, updated_at, claimed_at
        """

    static func entry(_ row: PostgresRow) throws -> LedgerEntry {
        let (message, state, attempts, reason, replyIDs, replyParts, backend, admitted, updated, claimed) = try row.decode(
            (Data, String, Int, String?, [String], [String], String?, Double, Double, Double?).self)
        return LedgerEntry(
            message: try MessageRecord.decode(message), state: MentionState(rawValue: state) ?? .failed,
            attempts: attempts, reason: reason, replyIDs: replyIDs, replyParts: replyParts, backend: backend,
            admittedAt: Date(timeIntervalSince1970: admitted), updatedAt: Date(timeIntervalSince1970: updated),
            claimedAt: claimed.map { Date(timeIntervalSince1970: $0) })
    }

    public func admit(_ messages: [InboundMessage], at date: Date) async throws -> [InboundMessage] {
        guard !messages.isEmpty else { return [] }
        let time = date.timeIntervalSince1970
        // Duplicates inside one batch: the first wins, as with the SQLite store.
        var seen = Set<MentionKey>()
        let unique = messages.filter { seen.insert($0.key).inserted }
        let inserted = try await rows("""
            INSERT INTO mentions (platform, id, state, message, chat_id, author_id, admitted_at, updated_at)
            SELECT platform, id, 'received', message, chat_id, author_id, \(time), \(time)
            FROM unnest(\(unique.map(\.platform.rawValue)), \(unique.map(\.id)), \(unique.map { ByteBuffer(data: MessageRecord.encode($0)) }),
                        \(unique.map(\.chat.id)), \(unique.map(\.author.id)))
                AS batch(platform, id, message, chat_id, author_id)
            ON CONFLICT (platform, id) DO NOTHING
            RETURNING platform, id
            """)
        var keys = Set<MentionKey>()
        for row in inserted {
            let (platform, id) = try row.decode((String, String).self)
            keys.insert(MentionKey(platform: Platform(rawValue: platform), id: id))
        }
        return unique.filter { keys.contains($0.key) }
    }

    public func entry(_ key: MentionKey) async throws -> LedgerEntry? {
        try await rows("""
            SELECT \(unescaped: Self.entryColumns) FROM mentions WHERE platform = \(key.platform.rawValue) AND id = \(key.id)
            """).first.map(Self.entry)
    }

    /// Succeeds on `received` or `responding` when nobody holds the mention, this replica does, or the holder's claim
    /// expired; the mention is then claimed by this replica for `leaseSeconds`.
    public func claim(_ key: MentionKey, at date: Date, logging: LoggedMessage?) async throws -> Bool {
        let now = date.timeIntervalSince1970
        let me = replica.name
        return try await transaction { connection in
            let claimed = try await connection.rows("""
                UPDATE mentions SET state = 'responding', attempts = attempts + 1,
                    claimed_at = COALESCE(claimed_at, \(now)), updated_at = \(now),
                    claimed_by = \(me), claim_expires = \(now + self.leaseSeconds)
                WHERE platform = \(key.platform.rawValue) AND id = \(key.id) AND state IN ('received', 'responding')
                  AND (claimed_by IS NULL OR claimed_by = \(me) OR claim_expires IS NULL OR claim_expires < \(now))
                RETURNING 1
                """)
            guard !claimed.isEmpty else { return false }
            if let logging { try await connection.execute(Self.appendQuery(logging)) }
            return true
        }
    }

    public func beginPosting(_ key: MentionKey, parts: [String], backend: String?, at date: Date) async throws {
        let now = date.timeIntervalSince1970
        try await transaction { connection in
            try await self.update(key, at: now, on: connection, """
                state = 'posting', reply_parts = \(parts), backend = \(backend), updated_at = \(now),
                claimed_by = \(self.replica.name), claim_expires = \(now + self.leaseSeconds)
                """)
        }
    }

    public func recordPosted(_ key: MentionKey, replyID: String, logging: LoggedMessage?, answered: Bool,
                             at date: Date) async throws {
        let now = date.timeIntervalSince1970
        try await transaction { connection in
            if answered {
                try await self.update(key, at: now, on: connection, """
                    reply_ids = array_append(reply_ids, \(replyID)), updated_at = \(now), state = 'answered',
                    reason = NULL, claimed_by = NULL, claim_expires = NULL
                    """)
            } else {
                try await self.update(key, at: now, on: connection, """
                    reply_ids = array_append(reply_ids, \(replyID)), updated_at = \(now)
                    """)
            }
            if let logging { try await connection.execute(Self.appendQuery(logging)) }
        }
    }

    /// A final state frees the claim; a retry (`received`) keeps it with this replica, which retries it.
    public func finish(_ key: MentionKey, state: MentionState, reason: String?, at date: Date) async throws {
        let now = date.timeIntervalSince1970
        let keepsClaim = state.isUnfinished
        try await transaction { connection in
            let extra = (state == .skipped ? ", claimed_at = NULL" : "")
                + (keepsClaim ? "" : ", claimed_by = NULL, claim_expires = NULL")
            try await self.update(key, at: now, on: connection, """
                state = \(state.rawValue), reason = \(reason), updated_at = \(now)\(unescaped: extra)
                """)
        }
    }

    /// `UPDATE mentions SET <assignments>` of `key` when no other live replica holds it; a missing row is a storage
    /// error, a mention another replica holds is "claim lost".
    private func update(_ key: MentionKey, at now: Double, on connection: PostgresConnection,
                        _ assignments: PostgresQuery) async throws {
        var query = assignments
        let offset = query.binds.count
        query.sql = "UPDATE mentions SET \(query.sql) WHERE platform = $\(offset + 1) AND id = $\(offset + 2) "
            + "AND (claimed_by IS NULL OR claimed_by = $\(offset + 3) OR claim_expires IS NULL OR claim_expires < $\(offset + 4)) "
            + "RETURNING 1"
        query.binds.append(key.platform.rawValue)
        query.binds.append(key.id)
        query.binds.append(replica.name)
        query.binds.append(now)
        guard try await connection.rows(query).isEmpty else { return }
        let holder = try await connection.rows("""
            SELECT claimed_by FROM mentions WHERE platform = \(key.platform.rawValue) AND id = \(key.id)
            """)
        guard let row = holder.first else { throw BotError(.storage, "no ledger entry for \(key)") }
        let name = try row.decode(String?.self) ?? "another replica"
        throw BotError(.storage, "claim lost: \(key) is held by replica \(name)")
    }

    public func unfinished() async throws -> [LedgerEntry] {
        try await rows("""
            SELECT \(unescaped: Self.entryColumns) FROM mentions WHERE state IN \(unescaped: Self.openStates)
            ORDER BY admitted_at
            """).map(Self.entry)
    }

    public func countReplies(_ query: ReplyCountQuery) async throws -> Int {
        let platform = query.platform?.rawValue
        return try await rows("""
            SELECT COUNT(*) FROM mentions WHERE claimed_at >= \(query.since.timeIntervalSince1970)
            AND (state IN ('responding', 'posting', 'answered', 'unknown')
                 OR (state = 'failed' AND cardinality(reply_ids) > 0))
            AND (\(platform)::text IS NULL OR platform = \(platform))
            AND (\(query.chatID)::text IS NULL OR chat_id = \(query.chatID))
            AND (\(query.authorID)::text IS NULL OR author_id = \(query.authorID))
            """).first?.decode(Int.self) ?? 0
    }

    public func stateCounts() async throws -> [Platform: [MentionState: Int]] {
        var counts: [Platform: [MentionState: Int]] = [:]
        for row in try await rows("SELECT platform, state, COUNT(*) FROM mentions GROUP BY platform, state") {
            let (platform, name, count) = try row.decode((String, String, Int).self)
            guard let state = MentionState(rawValue: name) else { continue }
            counts[Platform(rawValue: platform), default: [:]][state] = count
        }
        return counts
    }

    public func recent(in states: Set<MentionState>, limit: Int) async throws -> [LedgerEntry] {
        try await rows("""
            SELECT \(unescaped: Self.entryColumns) FROM mentions WHERE state = ANY(\(states.map(\.rawValue)))
            ORDER BY updated_at DESC LIMIT \(limit)
            """).map(Self.entry)
    }

    public func prune(before date: Date) async throws -> Int {
        try await rows("""
            DELETE FROM mentions WHERE updated_at < \(date.timeIntervalSince1970)
            AND state NOT IN \(unescaped: Self.openStates) RETURNING 1
            """).count
    }
}
