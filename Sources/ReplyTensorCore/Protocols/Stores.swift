import Foundation

/// Where a mention is on its way (README, "How it works").
public enum MentionState: String, Sendable, Codable, CaseIterable {
    case received, skipped, responding, posting, answered, failed, unknown

    /// States the engine resumes on start.
    public var isUnfinished: Bool { self == .received || self == .responding || self == .posting }
    /// States that count as a reply made (for policy limits).
    public var countsAsReply: Bool { self == .responding || self == .posting || self == .answered || self == .unknown }
}

/// One row of the mention ledger.
public struct LedgerEntry: Sendable, Hashable {
    public var message: InboundMessage
    public var state: MentionState
    public var attempts: Int
    public var reason: String?
    /// Ids of the reply messages posted so far, in part order.
    public var replyIDs: [String]
    /// The fitted reply parts, stored before posting so that a resume sends exactly the same text.
    public var replyParts: [String]
    public var backend: String?
    public var admittedAt: Date
    public var updatedAt: Date
    /// When the bot decided to answer (the time counted by policy limits).
    public var claimedAt: Date?

    public init(message: InboundMessage, state: MentionState, attempts: Int = 0, reason: String? = nil,
                replyIDs: [String] = [], replyParts: [String] = [], backend: String? = nil, admittedAt: Date,
                updatedAt: Date, claimedAt: Date? = nil) {
        self.message = message
        self.state = state
        self.attempts = attempts
        self.reason = reason
        self.replyIDs = replyIDs
        self.replyParts = replyParts
        self.backend = backend
        self.admittedAt = admittedAt
        self.updatedAt = updatedAt
        self.claimedAt = claimedAt
    }

    public var key: MentionKey { message.key }
}

/// A filter for counting replies made, used by policy limits.
public struct ReplyCountQuery: Sendable, Hashable {
    public var platform: Platform?
    public var chatID: String?
    public var authorID: String?
    public var since: Date
    public init(platform: Platform? = nil, chatID: String? = nil, authorID: String? = nil, since: Date) {
        self.platform = platform
        self.chatID = chatID
        self.authorID = authorID
        self.since = since
    }
}

/// The durable record of every mention: what guarantees one reply per mention.
public protocol MentionLedger: Sendable {
    /// Inserts messages not seen before (by platform + id) in state `received`; returns the ones inserted.
    func admit(_ messages: [InboundMessage], at date: Date) async throws -> [InboundMessage]
    func entry(_ key: MentionKey) async throws -> LedgerEntry?
    /// Moves `received` (or `responding`, when resuming) to `responding` and counts an attempt; when it does, appends
    /// `logging` (the mention as the conversation log keeps it) in the same transaction. False when the mention is in
    /// any other state: someone else owns it or it is finished.
    func claim(_ key: MentionKey, at date: Date, logging: LoggedMessage?) async throws -> Bool
    /// Records the fitted parts and moves to `posting`, durably, before any part leaves.
    func beginPosting(_ key: MentionKey, parts: [String], backend: String?, at date: Date) async throws
    /// Records one posted part's id and appends `logging` (the part as the conversation log keeps it) in one
    /// transaction; with `answered`, the mention moves to `answered` in it too (the last part went out).
    func recordPosted(_ key: MentionKey, replyID: String, logging: LoggedMessage?, answered: Bool, at date: Date)
        async throws
    /// Moves to a final state (`answered`, `skipped`, `failed`, `unknown`) or back to `received` for a retry.
    func finish(_ key: MentionKey, state: MentionState, reason: String?, at date: Date) async throws
    /// Mentions in `received`, `responding` or `posting`, oldest first.
    func unfinished() async throws -> [LedgerEntry]
    func countReplies(_ query: ReplyCountQuery) async throws -> Int
    /// Counts by platform and state.
    func stateCounts() async throws -> [Platform: [MentionState: Int]]
    /// Most recent entries in the given states, newest first.
    func recent(in states: Set<MentionState>, limit: Int) async throws -> [LedgerEntry]
    /// Deletes finished entries last updated before `date`; returns how many.
    func prune(before date: Date) async throws -> Int
}

/// Inbound cursors per platform and scope. Outgoing replies never touch them.
public protocol CursorStore: Sendable {
    func cursors(for platform: Platform) async throws -> [String: String]
    func saveCursors(_ values: [String: String], for platform: Platform, at date: Date) async throws
}

/// A wait imposed by a platform or policy, persisted so a restart honours it.
public struct RateBlock: Sendable, Hashable {
    public var platform: Platform
    public var scope: String
    public var until: Date
    public var reason: String
    public init(platform: Platform, scope: String, until: Date, reason: String) {
        self.platform = platform
        self.scope = scope
        self.until = until
        self.reason = reason
    }
}

/// "Blocked until" state per platform and scope.
public protocol RateLimitStore: Sendable {
    func block(_ block: RateBlock) async throws
    func blocks(for platform: Platform?, activeAt date: Date) async throws -> [RateBlock]
}

/// OAuth tokens and similar credentials that the platform rotates. Kept apart from everything else.
public protocol TokenStore: Sendable {
    func token(_ name: String) async throws -> String?
    func saveToken(_ name: String, value: String, at date: Date) async throws
    /// Replaces token `name` with what `rotate` makes of the stored value, no other replica rotating it meanwhile
    /// (default: read then write, for a store one process uses; see `ReplicaCoordination.swift`).
    func rotateToken(_ name: String, at date: Date, _ rotate: @Sendable (String?) async throws -> String)
        async throws -> String
}

/// Small durable values an adapter keeps (rate-limit windows, daily budgets, chat migrations).
public protocol AdapterStateStore: Sendable {
    func value(_ key: String, for platform: Platform) async throws -> String?
    func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws
    func values(for platform: Platform) async throws -> [String: String]
    /// Replaces the value under `key` with `transform` of the stored one, atomically among replicas (default: read
    /// then write, for a store one process uses); returns the new value.
    func updateValue(_ key: String, platform: Platform, at date: Date,
                     _ transform: @Sendable (String?) throws -> String?) async throws -> String?
}

/// A message of a conversation as the bot saw or wrote it.
public struct LoggedMessage: Sendable, Hashable {
    public var platform: Platform
    public var chatID: String
    /// The platform's id of the message.
    public var messageID: String
    public var parentID: String?
    public var authorID: String
    public var authorName: String
    /// True for the bot's own replies.
    public var fromBot: Bool
    public var text: String
    public var at: Date

    public init(platform: Platform, chatID: String, messageID: String, parentID: String?, authorID: String,
                authorName: String, fromBot: Bool, text: String, at: Date) {
        self.platform = platform
        self.chatID = chatID
        self.messageID = messageID
        self.parentID = parentID
        self.authorID = authorID
        self.authorName = authorName
        self.fromBot = fromBot
        self.text = text
        self.at = at
    }
}

/// What was said, so context can be rebuilt from the bot's own memory.
public protocol ConversationLog: Sendable {
    func append(_ message: LoggedMessage) async throws
    func logged(platform: Platform, chatID: String, messageID: String) async throws -> LoggedMessage?
    /// The logged messages from `messageID` up its parent links, nearest first, at most `limit`, stopping at the first
    /// message the log does not have: a reply chain read in one round trip.
    func chain(platform: Platform, chatID: String, from messageID: String, limit: Int) async throws -> [LoggedMessage]
    func pruneLog(before date: Date) async throws -> Int
}

extension MentionLedger {
    /// `claim` without logging.
    public func claim(_ key: MentionKey, at date: Date) async throws -> Bool {
        try await claim(key, at: date, logging: nil)
    }

    /// `recordPosted` of a part found on the platform (nothing logged, the state kept).
    public func recordPosted(_ key: MentionKey, replyID: String, at date: Date) async throws {
        try await recordPosted(key, replyID: replyID, logging: nil, answered: false, at: date)
    }
}

extension ConversationLog {
    /// The chain walked one `logged` lookup at a time (for stores without a faster way).
    public func chain(platform: Platform, chatID: String, from messageID: String, limit: Int) async throws
        -> [LoggedMessage] {
        var chain: [LoggedMessage] = []
        var next: String? = messageID
        while let id = next, chain.count < limit,
              let logged = try await logged(platform: platform, chatID: chatID, messageID: id) {
            chain.append(logged)
            next = logged.parentID
        }
        return chain
    }
}

/// Everything the engine persists.
public typealias BotStore = MentionLedger & CursorStore & RateLimitStore & TokenStore & AdapterStateStore
    & ConversationLog
