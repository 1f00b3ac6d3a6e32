import Foundation
import GRDB
import ReplyTensorCore

extension SQLiteStore: CursorStore {
    public func cursors(for platform: Platform) async throws -> [String: String] {
        try read { db in
            var values: [String: String] = [:]
            let statement = try db.cachedStatement(sql: "SELECT scope, value FROM cursors WHERE platform = ?")
            for row in try Row.fetchAll(statement, arguments: [platform.rawValue]) {
                values[row["scope"]] = row["value"]
            }
            return values
        }
    }

    public func saveCursors(_ values: [String: String], for platform: Platform, at date: Date) async throws {
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO cursors (platform, scope, value, updated_at) VALUES (?, ?, ?, ?)
                """)
            for (scope, value) in values {
                try statement.execute(arguments: [platform.rawValue, scope, value, date.timeIntervalSince1970])
            }
        }
    }
}

extension SQLiteStore: RateLimitStore {
    public func block(_ block: RateBlock) async throws {
        try await write { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO rate_blocks (platform, scope, until, reason) VALUES (?, ?, ?, ?)")
                .execute(arguments: [block.platform.rawValue, block.scope, block.until.timeIntervalSince1970, block.reason])
        }
    }

    public func blocks(for platform: Platform?, activeAt date: Date) async throws -> [RateBlock] {
        try read { db in
            var sql = "SELECT * FROM rate_blocks WHERE until > ?"
            var arguments: StatementArguments = [date.timeIntervalSince1970]
            if let platform { sql += " AND platform = ?"; arguments += [platform.rawValue] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY until", arguments: arguments).map { row in
                RateBlock(platform: Platform(rawValue: row["platform"]), scope: row["scope"],
                          until: Date(timeIntervalSince1970: row["until"]), reason: row["reason"])
            }
        }
    }
}

extension SQLiteStore: TokenStore {
    public func token(_ name: String) async throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM tokens WHERE name = ?", arguments: [name]) }
    }

    /// Durable: X's refresh tokens are single-use, so a rotated one rolled back by a power loss locks the bot out.
    public func saveToken(_ name: String, value: String, at date: Date) async throws {
        try await durableWrite { db in
            try db.execute(sql: "INSERT OR REPLACE INTO tokens (name, value, updated_at) VALUES (?, ?, ?)",
                           arguments: [name, value, date.timeIntervalSince1970])
        }
    }

    /// Serialised per token name by `tokenRotations`: a SQLite file belongs to one process (`StoreLock`), so a lock
    /// in this process is all the exclusion there is to have. The new value is saved durably before it returns.
    public func rotateToken(_ name: String, at date: Date,
                            _ rotate: @Sendable (String?) async throws -> String) async throws -> String {
        try await tokenRotations.exclusively(name) {
            let next = try await rotate(try await token(name))
            try await saveToken(name, value: next, at: date)
            return next
        }
    }
}

extension SQLiteStore: AdapterStateStore {
    public func value(_ key: String, for platform: Platform) async throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM adapter_state WHERE platform = ? AND key = ?",
                                arguments: [platform.rawValue, key])
        }
    }

    public func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws {
        try await write { db in try Self.store(value, for: key, platform: platform, at: date, in: db) }
    }

    private static func store(_ value: String?, for key: String, platform: Platform, at date: Date,
                              in db: Database) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO adapter_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?)",
                           arguments: [platform.rawValue, key, value, date.timeIntervalSince1970])
        } else {
            try db.execute(sql: "DELETE FROM adapter_state WHERE platform = ? AND key = ?",
                           arguments: [platform.rawValue, key])
        }
    }

    /// One write job: the read and the write in the same transaction on the writer's thread, so no other write
    /// comes between them. `transform` runs on the writer's thread: it must be quick and must not touch the store.
    public func updateValue(_ key: String, platform: Platform, at date: Date,
                            _ transform: @Sendable (String?) throws -> String?) async throws -> String? {
        try await withoutActuallyEscaping(transform) { transform in
            let borrowed = BorrowedTransform(transform)
            defer { borrowed.end() }
            // What the transform throws reaches the caller as it is (nothing written then).
            let outcome = try await write { db -> Result<String?, any Error> in
                let stored = try String.fetchOne(
                    db, sql: "SELECT value FROM adapter_state WHERE platform = ? AND key = ?",
                    arguments: [platform.rawValue, key])
                let next: String?
                do { next = try borrowed.run(stored) } catch { return .failure(error) }
                try Self.store(next, for: key, platform: platform, at: date, in: db)
                return .success(next)
            }
            return try outcome.get()
        }
    }

    public func values(for platform: Platform) async throws -> [String: String] {
        try read { db in
            var values: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM adapter_state WHERE platform = ?",
                                        arguments: [platform.rawValue]) {
                values[row["key"]] = row["value"]
            }
            return values
        }
    }
}

extension SQLiteStore: ConversationLog {
    public func append(_ message: LoggedMessage) async throws {
        try await write { db in try Self.append(message, in: db) }
    }

    static func append(_ message: LoggedMessage, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO conversation_log
            (platform, chat_id, message_id, parent_id, author_id, author_name, from_bot, text, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [message.platform.rawValue, message.chatID, message.messageID, message.parentID,
                                     message.authorID, message.authorName, message.fromBot, message.text,
                                     message.at.timeIntervalSince1970])
    }

    public func logged(platform: Platform, chatID: String, messageID: String) async throws -> LoggedMessage? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(Self.logColumns) FROM conversation_log WHERE platform = ? AND chat_id = ? AND message_id = ?
                """), arguments: [platform.rawValue, chatID, messageID]).map(Self.loggedMessage)
        }
    }

    /// One recursive query up the parent links (the chain's messages share the chat).
    public func chain(platform: Platform, chatID: String, from messageID: String, limit: Int) async throws
        -> [LoggedMessage] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                WITH RECURSIVE chain(message_id, depth) AS (
                    SELECT ?, 0
                    UNION ALL
                    SELECT log.parent_id, chain.depth + 1 FROM chain
                    JOIN conversation_log AS log
                      ON log.platform = ? AND log.chat_id = ? AND log.message_id = chain.message_id
                    WHERE log.parent_id IS NOT NULL AND chain.depth + 1 < ?
                )
                SELECT \(Self.logColumns) FROM chain
                JOIN conversation_log ON platform = ? AND chat_id = ? AND conversation_log.message_id = chain.message_id
                ORDER BY depth
                """), arguments: [messageID, platform.rawValue, chatID, limit, platform.rawValue, chatID])
                .map(Self.loggedMessage)
        }
    }

    private static let logColumns = "platform, chat_id, conversation_log.message_id, parent_id, author_id, author_name, from_bot, text, at"

    private static func loggedMessage(_ row: Row) -> LoggedMessage {
        LoggedMessage(platform: Platform(rawValue: row[0]), chatID: row[1], messageID: row[2], parentID: row[3],
                      authorID: row[4], authorName: row[5], fromBot: row[6], text: row[7],
                      at: Date(timeIntervalSince1970: row[8]))
    }

    public func pruneLog(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM conversation_log WHERE at < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
