import Foundation
import GRDB
import ReplyTensorCore

extension SQLiteStore: MentionLedger {
    public func admit(_ messages: [InboundMessage], at date: Date) async throws -> [InboundMessage] {
        guard !messages.isEmpty else { return [] }
        let rows = messages.map { ($0, MessageRecord.encode($0)) }
        let time = date.timeIntervalSince1970
        return try await write { db in
            var admitted: [InboundMessage] = []
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO mentions (platform, id, state, message, chat_id, author_id, admitted_at, updated_at)
                VALUES (?, ?, 'received', ?, ?, ?, ?, ?)
                """)
            for (message, record) in rows {
                try statement.execute(arguments: [message.platform.rawValue, message.id, record, message.chat.id,
                                                  message.author.id, time, time])
                if db.changesCount > 0 { admitted.append(message) }
            }
            return admitted
        }
    }

    public func entry(_ key: MentionKey) async throws -> LedgerEntry? {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(LedgerCoding.columns) FROM mentions WHERE platform = ? AND id = ?")
            // A cursor's row reads the statement's columns in place (`fetchOne` would copy them into a new row); it
            // is valid while the cursor lives.
            let rows = try Row.fetchCursor(statement, arguments: [key.platform.rawValue, key.id])
            guard let row = try rows.next() else { return nil }
            return try withExtendedLifetime(rows) { try LedgerCoding.entry(row) }
        }
    }

    public func claim(_ key: MentionKey, at date: Date, logging: LoggedMessage?) async throws -> Bool {
        let time = date.timeIntervalSince1970
        return try await write { db in
            try db.cachedStatement(sql: """
                UPDATE mentions SET state = 'responding', attempts = attempts + 1,
                    claimed_at = COALESCE(claimed_at, ?), updated_at = ?
                WHERE platform = ? AND id = ? AND state IN ('received', 'responding')
                """).execute(arguments: [time, time, key.platform.rawValue, key.id])
            guard db.changesCount > 0 else { return false }
            if let logging { try Self.append(logging, in: db) }
            return true
        }
    }

    public func beginPosting(_ key: MentionKey, parts: [String], backend: String?, at date: Date) async throws {
        let json = try LedgerCoding.json(parts)
        let time = date.timeIntervalSince1970
        // Durable: a power loss after the post went out must not roll the mark back (a resend would duplicate it).
        try await durableWrite { db in
            try Self.update(key, set: "state = 'posting', reply_parts = ?, backend = ?, updated_at = ?",
                            arguments: [json, backend, time], in: db)
        }
    }

    public func recordPosted(_ key: MentionKey, replyID: String, logging: LoggedMessage?, answered: Bool,
                             at date: Date) async throws {
        let finish = answered ? ", state = 'answered', reason = NULL" : ""
        try await write { db in
            try Self.update(key, set: "reply_ids = json_insert(reply_ids, '$[#]', ?), updated_at = ?\(finish)",
                            arguments: [replyID, date.timeIntervalSince1970], in: db)
            if let logging { try Self.append(logging, in: db) }
        }
    }

    public func finish(_ key: MentionKey, state: MentionState, reason: String?, at date: Date) async throws {
        let claimed = state == .skipped ? ", claimed_at = NULL" : ""
        try await write { db in
            try Self.update(key, set: "state = ?, reason = ?, updated_at = ?\(claimed)",
                            arguments: [state.rawValue, reason, date.timeIntervalSince1970], in: db)
        }
    }

    /// `UPDATE mentions SET <assignments> WHERE` the key; a missing row is a storage error.
    private static func update(_ key: MentionKey, set assignments: String, arguments: StatementArguments,
                               in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE mentions SET \(assignments) WHERE platform = ? AND id = ?")
            .execute(arguments: arguments + [key.platform.rawValue, key.id])
        if db.changesCount == 0 { throw BotError(.storage, "no ledger entry for \(key)") }
    }

    public func unfinished() async throws -> [LedgerEntry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(LedgerCoding.columns) FROM mentions WHERE state IN ('received', 'responding', 'posting')
                ORDER BY admitted_at
                """).map(LedgerCoding.entry)
        }
    }

    public func countReplies(_ query: ReplyCountQuery) async throws -> Int {
        var sql = """
            SELECT COUNT(*) FROM mentions INDEXED BY mentions_claims WHERE claimed_at >= ?
            AND (state IN ('responding', 'posting', 'answered', 'unknown') OR (state = 'failed' AND reply_ids != '[]'))
            """
        var arguments: StatementArguments = [query.since.timeIntervalSince1970]
        if let platform = query.platform { sql += " AND platform = ?"; arguments += [platform.rawValue] }
        if let chat = query.chatID { sql += " AND chat_id = ?"; arguments += [chat] }
        if let author = query.authorID { sql += " AND author_id = ?"; arguments += [author] }
        return try read { db in try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0 }
    }

    public func stateCounts() async throws -> [Platform: [MentionState: Int]] {
        try read { db in
            var counts: [Platform: [MentionState: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT platform, state, COUNT(*) AS n FROM mentions GROUP BY platform, state") {
                guard let state = MentionState(rawValue: row["state"]) else { continue }
                counts[Platform(rawValue: row["platform"]), default: [:]][state] = row["n"]
            }
            return counts
        }
    }

    public func recent(in states: Set<MentionState>, limit: Int) async throws -> [LedgerEntry] {
        let names = states.map(\.rawValue)
        let placeholders = names.map { _ in "?" }.joined(separator: ", ")
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(LedgerCoding.columns) FROM mentions WHERE state IN (\(placeholders))
                ORDER BY updated_at DESC LIMIT ?
                """, arguments: StatementArguments(names) + [limit]).map(LedgerCoding.entry)
        }
    }

    public func prune(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: """
                DELETE FROM mentions WHERE updated_at < ? AND state NOT IN ('received', 'responding', 'posting')
                """, arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
