import Foundation
import GRDB
import ReplyTensorCore

extension SQLiteStore: MentionLedger {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }

    static func entry(_ row: Row) throws -> LedgerEntry {
        let claimed: Double? = row["claimed_at"]
        return LedgerEntry(
            message: try decode(InboundMessage.self, row["message"]),
            state: MentionState(rawValue: row["state"]) ?? .failed,
            attempts: row["attempts"], reason: row["reason"],
            replyIDs: try decode([String].self, row["reply_ids"]),
            replyParts: try decode([String].self, row["reply_parts"]),
            backend: row["backend"],
            admittedAt: Date(timeIntervalSince1970: row["admitted_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            claimedAt: claimed.map { Date(timeIntervalSince1970: $0) })
    }

    public func admit(_ messages: [InboundMessage], at date: Date) async throws -> [InboundMessage] {
        guard !messages.isEmpty else { return [] }
        let rows = try messages.map { ($0, try Self.json($0)) }
        let time = date.timeIntervalSince1970
        return try await write { db in
            var admitted: [InboundMessage] = []
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO mentions (platform, id, state, message, chat_id, author_id, admitted_at, updated_at)
                VALUES (?, ?, 'received', ?, ?, ?, ?, ?)
                """)
            for (message, json) in rows {
                try statement.execute(arguments: [message.platform.rawValue, message.id, json, message.chat.id,
                                                  message.author.id, time, time])
                if db.changesCount > 0 { admitted.append(message) }
            }
            return admitted
        }
    }

    public func entry(_ key: MentionKey) async throws -> LedgerEntry? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM mentions WHERE platform = ? AND id = ?",
                             arguments: [key.platform.rawValue, key.id]).map(Self.entry)
        }
    }

    public func claim(_ key: MentionKey, at date: Date) async throws -> Bool {
        let time = date.timeIntervalSince1970
        return try await write { db in
            try db.execute(sql: """
                UPDATE mentions SET state = 'responding', attempts = attempts + 1,
                    claimed_at = COALESCE(claimed_at, ?), updated_at = ?
                WHERE platform = ? AND id = ? AND state IN ('received', 'responding')
                """, arguments: [time, time, key.platform.rawValue, key.id])
            return db.changesCount > 0
        }
    }

    public func beginPosting(_ key: MentionKey, parts: [String], backend: String?, at date: Date) async throws {
        let json = try Self.json(parts)
        // Durable: a power loss after the post went out must not roll the mark back (a resend would duplicate it).
        try await update(key, sql: "state = 'posting', reply_parts = ?, backend = ?, updated_at = ?",
                         arguments: [json, backend, date.timeIntervalSince1970], durable: true)
    }

    public func recordPosted(_ key: MentionKey, replyID: String, at date: Date) async throws {
        try await update(key, sql: "reply_ids = json_insert(reply_ids, '$[#]', ?), updated_at = ?",
                         arguments: [replyID, date.timeIntervalSince1970])
    }

    public func finish(_ key: MentionKey, state: MentionState, reason: String?, at date: Date) async throws {
        let claimed = state == .skipped ? ", claimed_at = NULL" : ""
        try await update(key, sql: "state = ?, reason = ?, updated_at = ?\(claimed)",
                         arguments: [state.rawValue, reason, date.timeIntervalSince1970])
    }

    private func update(_ key: MentionKey, sql: String, arguments: StatementArguments, durable: Bool = false) async throws {
        var all = arguments
        all += [key.platform.rawValue, key.id]
        let finalArguments = all
        let change: @Sendable (Database) throws -> Void = { db in
            try db.execute(sql: "UPDATE mentions SET \(sql) WHERE platform = ? AND id = ?", arguments: finalArguments)
            if db.changesCount == 0 { throw BotError(.storage, "no ledger entry for \(key)") }
        }
        if durable { try await durableWrite(change) } else { try await write(change) }
    }

    public func unfinished() async throws -> [LedgerEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM mentions WHERE state IN ('received', 'responding', 'posting') ORDER BY admitted_at
                """).map(Self.entry)
        }
    }

    public func countReplies(_ query: ReplyCountQuery) async throws -> Int {
        var sql = """
            SELECT COUNT(*) FROM mentions WHERE claimed_at >= ?
            AND (state IN ('responding', 'posting', 'answered', 'unknown') OR (state = 'failed' AND reply_ids != '[]'))
            """
        var arguments: StatementArguments = [query.since.timeIntervalSince1970]
        if let platform = query.platform { sql += " AND platform = ?"; arguments += [platform.rawValue] }
        if let chat = query.chatID { sql += " AND chat_id = ?"; arguments += [chat] }
        if let author = query.authorID { sql += " AND author_id = ?"; arguments += [author] }
        let finalSQL = sql
        let finalArguments = arguments
        return try await read { db in try Int.fetchOne(db, sql: finalSQL, arguments: finalArguments) ?? 0 }
    }

    public func stateCounts() async throws -> [Platform: [MentionState: Int]] {
        try await read { db in
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
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM mentions WHERE state IN (\(placeholders)) ORDER BY updated_at DESC LIMIT ?
                """, arguments: StatementArguments(names) + [limit]).map(Self.entry)
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
