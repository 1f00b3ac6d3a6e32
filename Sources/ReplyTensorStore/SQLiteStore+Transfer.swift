import Foundation
import GRDB
import ReplyTensorCore

/// `store copy`: the whole file as a `StoreSnapshot`, and a snapshot written back in one durable transaction.
extension SQLiteStore: TransferableStore {
    static let transferTables = ["mentions", "cursors", "rate_blocks", "tokens", "adapter_state", "conversation_log"]

    public func exportSnapshot() async throws -> StoreSnapshot {
        try read { db in
            var snapshot = StoreSnapshot()
            snapshot.mentions = try Row.fetchAll(db, sql: "SELECT \(LedgerCoding.columns) FROM mentions ORDER BY admitted_at")
                .map(LedgerCoding.entry)
            for row in try Row.fetchAll(db, sql: "SELECT platform, scope, value FROM cursors") {
                snapshot.cursors[Platform(rawValue: row["platform"]), default: [:]][row["scope"]] = row["value"]
            }
            snapshot.rateBlocks = try Row.fetchAll(db, sql: "SELECT platform, scope, until, reason FROM rate_blocks").map {
                RateBlock(platform: Platform(rawValue: $0["platform"]), scope: $0["scope"],
                          until: Date(timeIntervalSince1970: $0["until"]), reason: $0["reason"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM tokens") { snapshot.tokens[row["name"]] = row["value"] }
            for row in try Row.fetchAll(db, sql: "SELECT platform, key, value FROM adapter_state") {
                snapshot.adapterState[Platform(rawValue: row["platform"]), default: [:]][row["key"]] = row["value"]
            }
            snapshot.conversationLog = try Row.fetchAll(db, sql: """
                SELECT platform, chat_id, message_id, parent_id, author_id, author_name, from_bot, text, at
                FROM conversation_log
                """).map { row in
                LoggedMessage(platform: Platform(rawValue: row[0]), chatID: row[1], messageID: row[2], parentID: row[3],
                              authorID: row[4], authorName: row[5], fromBot: row[6], text: row[7],
                              at: Date(timeIntervalSince1970: row[8]))
            }
            return snapshot
        }
    }

    public func isEmpty() async throws -> Bool {
        try read { db in
            try Self.transferTables.allSatisfy { table in
                try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") == 0
            }
        }
    }

    public func importSnapshot(_ snapshot: StoreSnapshot, replacing: Bool) async throws {
        let mentions = try snapshot.mentions.map { entry in
            (entry, MessageRecord.encode(entry.message), try LedgerCoding.json(entry.replyIDs),
             try LedgerCoding.json(entry.replyParts))
        }
        try await durableWrite { db in
            if replacing { for table in Self.transferTables { try db.execute(sql: "DELETE FROM \(table)") } }
            let insert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO mentions (platform, id, state, attempts, reason, reply_ids, reply_parts, message,
                    chat_id, author_id, admitted_at, updated_at, claimed_at, backend)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (entry, record, replyIDs, replyParts) in mentions {
                let message = entry.message
                try insert.execute(arguments: [
                    message.platform.rawValue, message.id, entry.state.rawValue, entry.attempts, entry.reason, replyIDs,
                    replyParts, record, message.chat.id, message.author.id, entry.admittedAt.timeIntervalSince1970,
                    entry.updatedAt.timeIntervalSince1970, entry.claimedAt?.timeIntervalSince1970, entry.backend])
            }
            for (platform, values) in snapshot.cursors {
                for (scope, value) in values {
                    try db.execute(sql: "INSERT OR REPLACE INTO cursors (platform, scope, value, updated_at) VALUES (?, ?, ?, ?)",
                                   arguments: [platform.rawValue, scope, value, Date().timeIntervalSince1970])
                }
            }
            for block in snapshot.rateBlocks {
                try db.execute(sql: "INSERT OR REPLACE INTO rate_blocks (platform, scope, until, reason) VALUES (?, ?, ?, ?)",
                               arguments: [block.platform.rawValue, block.scope, block.until.timeIntervalSince1970, block.reason])
            }
            for (name, value) in snapshot.tokens {
                try db.execute(sql: "INSERT OR REPLACE INTO tokens (name, value, updated_at) VALUES (?, ?, ?)",
                               arguments: [name, value, Date().timeIntervalSince1970])
            }
            for (platform, values) in snapshot.adapterState {
                for (key, value) in values {
                    try db.execute(sql: "INSERT OR REPLACE INTO adapter_state (platform, key, value, updated_at) VALUES (?, ?, ?, ?)",
                                   arguments: [platform.rawValue, key, value, Date().timeIntervalSince1970])
                }
            }
            for message in snapshot.conversationLog { try Self.append(message, in: db) }
        }
    }
}
