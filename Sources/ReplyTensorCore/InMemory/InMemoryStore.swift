import Foundation

/// An in-memory `BotStore` for unit tests and benchmarks: the same behaviour as `SQLiteStore`, nothing durable.
public actor InMemoryStore: BotStore {
    private var ledger: [MentionKey: LedgerEntry] = [:]
    private var admissionOrder: [MentionKey] = []
    private var cursorValues: [Platform: [String: String]] = [:]
    private var rateBlocks: [String: RateBlock] = [:]
    private var tokens: [String: String] = [:]
    private var adapterValues: [Platform: [String: String]] = [:]
    private var log: [String: LoggedMessage] = [:]
    /// Serialises `rotateToken` per token name (the actor alone would interleave at the rotation's awaits).
    private var rotations: [String: AsyncLock] = [:]

    public init() {}

    // MARK: MentionLedger

    public func admit(_ messages: [InboundMessage], at date: Date) -> [InboundMessage] {
        var admitted: [InboundMessage] = []
        for message in messages where ledger[message.key] == nil {
            ledger[message.key] = LedgerEntry(message: message, state: .received, admittedAt: date, updatedAt: date)
            admissionOrder.append(message.key)
            admitted.append(message)
        }
        return admitted
    }

    public func entry(_ key: MentionKey) -> LedgerEntry? { ledger[key] }

    public func claim(_ key: MentionKey, at date: Date, logging: LoggedMessage?) -> Bool {
        guard var entry = ledger[key], entry.state == .received || entry.state == .responding else { return false }
        entry.state = .responding
        entry.attempts += 1
        entry.claimedAt = entry.claimedAt ?? date
        entry.updatedAt = date
        ledger[key] = entry
        if let logging { append(logging) }
        return true
    }

    public func beginPosting(_ key: MentionKey, parts: [String], backend: String?, at date: Date) throws {
        guard var entry = ledger[key] else { throw BotError(.storage, "no ledger entry for \(key)") }
        entry.state = .posting
        entry.replyParts = parts
        entry.backend = backend
        entry.updatedAt = date
        ledger[key] = entry
    }

    public func recordPosted(_ key: MentionKey, replyID: String, logging: LoggedMessage?, answered: Bool,
                             at date: Date) throws {
        guard var entry = ledger[key] else { throw BotError(.storage, "no ledger entry for \(key)") }
        entry.replyIDs.append(replyID)
        entry.updatedAt = date
        if answered {
            entry.state = .answered
            entry.reason = nil
        }
        ledger[key] = entry
        if let logging { append(logging) }
    }

    public func finish(_ key: MentionKey, state: MentionState, reason: String?, at date: Date) throws {
        guard var entry = ledger[key] else { throw BotError(.storage, "no ledger entry for \(key)") }
        entry.state = state
        entry.reason = reason
        entry.updatedAt = date
        if state == .skipped { entry.claimedAt = nil }
        ledger[key] = entry
    }

    public func unfinished() -> [LedgerEntry] {
        admissionOrder.compactMap { ledger[$0] }.filter { $0.state.isUnfinished }
    }

    public func countReplies(_ query: ReplyCountQuery) -> Int {
        ledger.values.filter { entry in
            guard entry.state.countsAsReply || (entry.state == .failed && !entry.replyIDs.isEmpty),
                  let claimed = entry.claimedAt, claimed >= query.since else { return false }
            if let platform = query.platform, entry.message.platform != platform { return false }
            if let chat = query.chatID, entry.message.chat.id != chat { return false }
            if let author = query.authorID, entry.message.author.id != author { return false }
            return true
        }.count
    }

    public func stateCounts() -> [Platform: [MentionState: Int]] {
        var counts: [Platform: [MentionState: Int]] = [:]
        for entry in ledger.values { counts[entry.message.platform, default: [:]][entry.state, default: 0] += 1 }
        return counts
    }

    public func recent(in states: Set<MentionState>, limit: Int) -> [LedgerEntry] {
        Array(ledger.values.filter { states.contains($0.state) }.sorted { $0.updatedAt > $1.updatedAt }.prefix(limit))
    }

    public func prune(before date: Date) -> Int {
        let old = ledger.values.filter { !$0.state.isUnfinished && $0.updatedAt < date }.map(\.key)
        for key in old { ledger[key] = nil }
        admissionOrder.removeAll { ledger[$0] == nil }
        return old.count
    }

    // MARK: CursorStore

    public func cursors(for platform: Platform) -> [String: String] { cursorValues[platform] ?? [:] }

    public func saveCursors(_ values: [String: String], for platform: Platform, at date: Date) {
        cursorValues[platform, default: [:]].merge(values) { _, new in new }
    }

    // MARK: RateLimitStore

    public func block(_ block: RateBlock) { rateBlocks["\(block.platform)|\(block.scope)"] = block }

    public func blocks(for platform: Platform?, activeAt date: Date) -> [RateBlock] {
        rateBlocks.values.filter { ($0.platform == platform || platform == nil) && $0.until > date }
            .sorted { $0.until < $1.until }
    }

    // MARK: TokenStore

    public func token(_ name: String) -> String? { tokens[name] }
    public func saveToken(_ name: String, value: String, at date: Date) { tokens[name] = value }

    public func rotateToken(_ name: String, at date: Date,
                            _ rotate: @Sendable (String?) async throws -> String) async throws -> String {
        let lock = rotations[name] ?? AsyncLock()
        rotations[name] = lock
        return try await lock.withLock {
            let next = try await rotate(tokens[name])
            tokens[name] = next
            return next
        }
    }

    // MARK: AdapterStateStore

    public func value(_ key: String, for platform: Platform) -> String? { adapterValues[platform]?[key] }

    public func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) {
        adapterValues[platform, default: [:]][key] = value
    }

    public func values(for platform: Platform) -> [String: String] { adapterValues[platform] ?? [:] }

    /// Atomic on the actor: nothing awaits between the read and the write.
    public func updateValue(_ key: String, platform: Platform, at date: Date,
                            _ transform: @Sendable (String?) throws -> String?) throws -> String? {
        let next = try transform(adapterValues[platform]?[key])
        adapterValues[platform, default: [:]][key] = next
        return next
    }

    // MARK: ConversationLog

    private static func logKey(_ platform: Platform, _ chatID: String, _ messageID: String) -> String {
        "\(platform)|\(chatID)|\(messageID)"
    }

    public func append(_ message: LoggedMessage) {
        log[Self.logKey(message.platform, message.chatID, message.messageID)] = message
    }

    public func logged(platform: Platform, chatID: String, messageID: String) -> LoggedMessage? {
        log[Self.logKey(platform, chatID, messageID)]
    }

    public func pruneLog(before date: Date) -> Int {
        let old = log.filter { $0.value.at < date }.map(\.key)
        for key in old { log[key] = nil }
        return old.count
    }
}
