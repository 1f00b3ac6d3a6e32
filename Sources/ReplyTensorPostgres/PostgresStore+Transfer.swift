import Foundation
import NIOCore
import NIOFoundationCompat
import PostgresNIO
import ReplyTensorCore

/// `store copy`: the whole database as a `StoreSnapshot`, and a snapshot written back in one transaction.
extension PostgresStore: TransferableStore {
    static let transferTables = ["mentions", "cursors", "rate_blocks", "tokens", "adapter_state", "conversation_log"]

    public func exportSnapshot() async throws -> StoreSnapshot {
        var snapshot = StoreSnapshot()
        snapshot.mentions = try await rows("SELECT \(unescaped: Self.entryColumns) FROM mentions ORDER BY admitted_at")
            .map(Self.entry)
        for row in try await rows("SELECT platform, scope, value FROM cursors") {
            let (platform, scope, value) = try row.decode((String, String, String).self)
            snapshot.cursors[Platform(rawValue: platform), default: [:]][scope] = value
        }
        snapshot.rateBlocks = try await rows("SELECT platform, scope, until, reason FROM rate_blocks").map { row in
            let (platform, scope, until, reason) = try row.decode((String, String, Double, String).self)
            return RateBlock(platform: Platform(rawValue: platform), scope: scope,
                             until: Date(timeIntervalSince1970: until), reason: reason)
        }
        for row in try await rows("SELECT name, value FROM tokens") {
            let (name, value) = try row.decode((String, String).self)
            snapshot.tokens[name] = value
        }
        for row in try await rows("SELECT platform, key, value FROM adapter_state") {
            let (platform, key, value) = try row.decode((String, String, String).self)
            snapshot.adapterState[Platform(rawValue: platform), default: [:]][key] = value
        }
        snapshot.conversationLog = try await rows("SELECT \(unescaped: Self.logColumns) FROM conversation_log AS log")
            .map(Self.loggedMessage)
        return snapshot
    }

    public func isEmpty() async throws -> Bool {
        let checks = Self.transferTables.map { "EXISTS (SELECT 1 FROM \($0))" }.joined(separator: " OR ")
        return try await !(rows("SELECT \(unescaped: checks)").first?.decode(Bool.self) ?? false)
    }

    public func importSnapshot(_ snapshot: StoreSnapshot, replacing: Bool) async throws {
        let now = Date().timeIntervalSince1970
        try await transaction { connection in
            if replacing {
                try await connection.execute("TRUNCATE \(unescaped: Self.transferTables.joined(separator: ", "))")
            }
            for entry in snapshot.mentions { try await connection.execute(Self.insertQuery(entry)) }
            for (platform, values) in snapshot.cursors {
                for (scope, value) in values {
                    try await connection.execute("""
                        INSERT INTO cursors (platform, scope, value, updated_at) VALUES (\(platform.rawValue), \(scope), \(value), \(now))
                        ON CONFLICT (platform, scope) DO UPDATE SET value = excluded.value
                        """)
                }
            }
            for block in snapshot.rateBlocks {
                try await connection.execute("""
                    INSERT INTO rate_blocks (platform, scope, until, reason)
                    VALUES (\(block.platform.rawValue), \(block.scope), \(block.until.timeIntervalSince1970), \(block.reason))
                    ON CONFLICT (platform, scope) DO UPDATE SET until = excluded.until, reason = excluded.reason
                    """)
            }
            for (name, value) in snapshot.tokens {
                try await connection.execute("""
                    INSERT INTO tokens (name, value, updated_at) VALUES (\(name), \(value), \(now))
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value
                    """)
            }
            for (platform, values) in snapshot.adapterState {
                for (key, value) in values {
                    try await connection.execute("""
                        INSERT INTO adapter_state (platform, key, value, updated_at) VALUES (\(platform.rawValue), \(key), \(value), \(now))
                        ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value
                        """)
                }
            }
            for message in snapshot.conversationLog { try await connection.execute(Self.appendQuery(message)) }
        }
    }

    /// A whole ledger row (unclaimed: claims belong to running replicas).
    private static func insertQuery(_ entry: LedgerEntry) -> PostgresQuery {
        let message = entry.message
        return """
            INSERT INTO mentions (platform, id, state, attempts, reason, reply_ids, reply_parts, message, chat_id,
                author_id, admitted_at, updated_at, claimed_at, backend)
            VALUES (\(message.platform.rawValue), \(message.id), \(entry.state.rawValue), \(entry.attempts), \(entry.reason),
                \(entry.replyIDs), \(entry.replyParts), \(ByteBuffer(data: MessageRecord.encode(message))), \(message.chat.id),
                \(message.author.id), \(entry.admittedAt.timeIntervalSince1970), \(entry.updatedAt.timeIntervalSince1970),
                \(entry.claimedAt?.timeIntervalSince1970), \(entry.backend))
            ON CONFLICT (platform, id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
                reason = excluded.reason, reply_ids = excluded.reply_ids, reply_parts = excluded.reply_parts,
                message = excluded.message, admitted_at = excluded.admitted_at, updated_at = excluded.updated_at,
                claimed_at = excluded.claimed_at, backend = excluded.backend, claimed_by = NULL, claim_expires = NULL
            """
    }
}
