import Foundation
import GRDB
import ReplyTensorCore

extension SQLiteStore: CursorStore {
    public func cursors(for platform: Platform) async throws -> [String: String] {
        try await read { db in
            var values: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT scope, value FROM cursors WHERE platform = ?",
                                        arguments: [platform.rawValue]) {
                values[row["scope"]] = row["value"]
            }
            return values
        }
    }

    public func saveCursors(_ values: [String: String], for platform: Platform, at date: Date) async throws {
        try await write { db in
            for (scope, value) in values {
                try db.execute(sql: "INSERT OR REPLACE INTO cursors (platform, scope, value, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [platform.rawValue, scope, value, date.timeIntervalSince1970])
            }
        }
    }
}

extension SQLiteStore: RateLimitStore {
    public func block(_ block: RateBlock) async throws {
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO rate_blocks (platform, scope, until, reason) VALUES (?, ?, ?, ?)",
                           arguments: [block.platform.rawValue, block.scope, block.until.timeIntervalSince1970, block.reason])
        }
    }

    public func blocks(for platform: Platform?, activeAt date: Date) async throws -> [RateBlock] {
        try await read { db in
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
        try await read { db in try String.fetchOne(db, sql: "SELECT value FROM tokens WHERE name = ?", arguments: [name]) }
    }

    /// Durable: X's refresh tokens are single-use, so a rotated one rolled back by a power loss locks the bot out.
    public func saveToken(_ name: String, value: String, at date: Date) async throws {
        try await durableWrite { db in
            try db.execute(sql: "INSERT OR REPLACE INTO tokens (name, value, updated_at) VALUES (?, ?, ?)",
                           arguments: [name, value, date.timeIntervalSince1970])
        }
    }
}

extension SQLiteStore: AdapterStateStore {
    public func value(_ key: String, for platform: Platform) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM adapter_state WHERE platform = ? AND key = ?",
                                arguments: [platform.rawValue, key])
        }
    }

    public func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws {
        try await write { db in
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO adapter_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [platform.rawValue, key, value, date.timeIntervalSince1970])
            } else {
                try db.execute(sql: "DELETE FROM adapter_state WHERE platform = ? AND key = ?",
                               arguments: [platform.rawValue, key])
            }
        }
    }

    public func values(for platform: Platform) async throws -> [String: String] {
        try await read { db in
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
        try await write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO conversation_log
                (platform, chat_id, message_id, parent_id, author_id, author_name, from_bot, text, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [message.platform.rawValue, message.chatID, message.messageID, message.parentID,
                                 message.authorID, message.authorName, message.fromBot, message.text,
                                 message.at.timeIntervalSince1970])
        }
    }

    public func logged(platform: Platform, chatID: String, messageID: String) async throws -> LoggedMessage? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM conversation_log WHERE platform = ? AND chat_id = ? AND message_id = ?
                """, arguments: [platform.rawValue, chatID, messageID]).map { row in
                LoggedMessage(platform: Platform(rawValue: row["platform"]), chatID: row["chat_id"],
                              messageID: row["message_id"], parentID: row["parent_id"], authorID: row["author_id"],
                              authorName: row["author_name"], fromBot: row["from_bot"], text: row["text"],
                              at: Date(timeIntervalSince1970: row["at"]))
            }
        }
    }

    public func pruneLog(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM conversation_log WHERE at < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
