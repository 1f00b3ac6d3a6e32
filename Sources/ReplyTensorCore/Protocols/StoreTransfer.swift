import Foundation

/// Everything a store holds that a deployment needs to move (`replytensor store copy`): every mention (finished ones
/// too, with their attempts, parts, reply ids and times), cursors, waits, tokens, adapter state (X's windows and
/// budgets, Discord's polling state, the subnet's caches) and the conversation log. Replicas, leases, claims and
/// in-flight send windows are not part of it: a copy is made with the bot stopped.
public struct StoreSnapshot: Sendable, Hashable {
    public var mentions: [LedgerEntry]
    public var cursors: [Platform: [String: String]]
    public var rateBlocks: [RateBlock]
    public var tokens: [String: String]
    public var adapterState: [Platform: [String: String]]
    public var conversationLog: [LoggedMessage]

    public init(mentions: [LedgerEntry] = [], cursors: [Platform: [String: String]] = [:], rateBlocks: [RateBlock] = [],
                tokens: [String: String] = [:], adapterState: [Platform: [String: String]] = [:],
                conversationLog: [LoggedMessage] = []) {
        self.mentions = mentions
        self.cursors = cursors
        self.rateBlocks = rateBlocks
        self.tokens = tokens
        self.adapterState = adapterState
        self.conversationLog = conversationLog
    }

    /// Rows per table, in a fixed order, for `store copy`'s report.
    public var counts: [(table: String, rows: Int)] {
        [("mentions", mentions.count), ("cursors", cursors.values.map(\.count).reduce(0, +)),
         ("rate_blocks", rateBlocks.count), ("tokens", tokens.count),
         ("adapter_state", adapterState.values.map(\.count).reduce(0, +)), ("conversation_log", conversationLog.count)]
    }

    /// The same content in a canonical order (stores list rows in their own orders).
    public var normalized: StoreSnapshot {
        var copy = self
        copy.mentions.sort { ($0.message.platform.rawValue, $0.message.id) < ($1.message.platform.rawValue, $1.message.id) }
        copy.rateBlocks.sort { ($0.platform.rawValue, $0.scope) < ($1.platform.rawValue, $1.scope) }
        copy.conversationLog.sort {
            ($0.platform.rawValue, $0.chatID, $0.messageID) < ($1.platform.rawValue, $1.chatID, $1.messageID)
        }
        return copy
    }
}

/// A store whose whole content can be exported and imported (SQLite and PostgreSQL).
public protocol TransferableStore: Sendable {
    func exportSnapshot() async throws -> StoreSnapshot
    /// True when the store holds no mention, cursor, wait, token, adapter value or logged message.
    func isEmpty() async throws -> Bool
    /// Writes `snapshot` in one transaction; with `replacing`, everything the store held is deleted first.
    func importSnapshot(_ snapshot: StoreSnapshot, replacing: Bool) async throws
}
