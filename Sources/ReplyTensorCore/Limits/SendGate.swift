import Foundation

/// Paces sends per platform: the platform's `SendRule`s (sliding windows) and persisted "blocked until" waits
/// (429 `retry_after`), so no request goes into a chat while its wait is open — not even after a restart.
/// Send history is kept in memory; for windows of a few seconds (Telegram's 1 per second per chat, 30 per second) a
/// durable "recent send" marker makes the first run after a crash wait the last run's windows out once.
public actor SendGate {
    /// The scope of the persisted marker: sends went out until `until` minus the short window.
    public static let recentSendScope = "recent-send"
    private static let shortWindow: TimeInterval = 5
    private let store: any RateLimitStore
    private let now: @Sendable () -> Date
    private var blocks: [String: RateBlock] = [:]
    /// The previous run's marker (no send before it ends), and this run's persisted one.
    private var previousRunUntil: [Platform: Date] = [:]
    private var markedUntil: [Platform: Date] = [:]
    /// Sends reserved and not yet settled: when, in which windows, and the longest short window of their rules.
    /// Until settled a send counts in its windows as if it were going out now: the platform counts it on arrival,
    /// which can come later than its reservation.
    private var reservations: [MentionKey: (date: Date, keys: [String], short: TimeInterval?)] = [:]
    /// Settled sends by window, at the time their answer came back (never earlier than the platform counted them).
    private var history: [String: [Date]] = [:]
    private var loaded: Set<Platform> = []
    /// Replicas sharing the store count every window there, in sum; this replica then keeps no history of its own
    /// and reads the waits other replicas recorded again after `sharedBlocksAge`.
    private let shared: (any SendWindowStore)?
    private static let sharedBlocksAge: TimeInterval = 0.25
    private var blocksReadAt: [Platform: Date] = [:]

    public init(store: any RateLimitStore, now: @escaping @Sendable () -> Date, shared: (any SendWindowStore)? = nil) {
        self.store = store
        self.now = now
        self.shared = shared
    }

    static func chatScope(_ chatID: String) -> String { "chat:\(chatID)" }
    private static func sendID(_ message: InboundMessage) -> String { "\(message.platform.rawValue):\(message.id)" }
    private static func key(_ platform: Platform, _ scope: String) -> String { "\(platform)|\(scope)" }

    private func load(_ platform: Platform) async throws {
        if shared != nil, let readAt = blocksReadAt[platform], now().timeIntervalSince(readAt) > Self.sharedBlocksAge {
            loaded.remove(platform)
        }
        guard !loaded.contains(platform) else { return }
        blocksReadAt[platform] = now()
        for block in try await store.blocks(for: platform, activeAt: now()) {
            if block.scope == Self.recentSendScope {
                previousRunUntil[platform] = block.until
            } else {
                blocks[Self.key(platform, block.scope)] = block
            }
        }
        loaded.insert(platform)
    }

    /// How long a send to `message`'s chat must wait now; zero means a send may go, and it is then counted.
    public func reserve(for message: InboundMessage, rules: [SendRule]) async throws -> Duration {
        try await evaluate(message, rules: rules, reserving: true)
    }

    /// How long a send to `message`'s chat would wait now, without counting one.
    public func pending(for message: InboundMessage, rules: [SendRule]) async throws -> Duration {
        try await evaluate(message, rules: rules, reserving: false)
    }

    private func evaluate(_ message: InboundMessage, rules: [SendRule], reserving: Bool) async throws -> Duration {
        try await load(message.platform)
        let date = now()
        let platform = message.platform
        let chatScope = Self.chatScope(message.chat.id)
        var wait: TimeInterval = 0
        for scope in [chatScope, "global"] {
            if let block = blocks[Self.key(platform, scope)], block.until > date {
                wait = max(wait, block.until.timeIntervalSince(date))
            }
        }
        var windows: [(String, SendRule)] = []
        for rule in rules {
            let scope: String
            switch rule.scope {
            case .global: scope = "global"
            case .chat: scope = chatScope
            case .groupChat:
                guard message.chat.kind != .direct else { continue }
                scope = chatScope + "#group"
            }
            let key = Self.key(platform, "\(scope)/\(rule.limit)/\(rule.interval)")
            let interval = rule.interval.seconds
            let recent = (history[key] ?? []).filter { date.timeIntervalSince($0) < interval }
            history[key] = recent
            let inFlight = reservations.values.filter { $0.keys.contains(key) }.count
            let sends = recent.sorted() + Array(repeating: date, count: inFlight)
            if sends.count >= rule.limit {
                // The window frees up when enough of its sends have aged out for one more to fit.
                wait = max(wait, interval - date.timeIntervalSince(sends[sends.count - rule.limit]))
            }
            windows.append((key, rule))
        }
        if let until = previousRunUntil[platform], until > date { wait = max(wait, until.timeIntervalSince(date)) }
        if let shared, wait <= 0 {
            let counted = windows.map { SendWindow(key: $0.0, limit: $0.1.limit, interval: $0.1.interval.seconds) }
            wait = reserving ? try await shared.reserveSend(Self.sendID(message), in: counted, at: date)
                : try await shared.pendingSend(in: counted, at: date)
            return wait > 0 ? .milliseconds(Int64((wait * 1000).rounded(.up)) + 1) : .zero
        }
        if wait > 0 { return .milliseconds(Int64((wait * 1000).rounded(.up)) + 1) }
        guard reserving else { return .zero }
        let short = rules.map(\.interval.seconds).filter { $0 <= Self.shortWindow }.max()
        reservations[message.key] = (date, windows.map(\.0), short)
        try await mark(platform, at: date, short: short)
        return .zero
    }

    /// Counts the send reserved for `message` from when its answer came back: the platform counted it on arrival,
    /// somewhere between the reservation and now, so windows measured from now never overlap at the platform (a
    /// slow request would otherwise let the next one arrive less than a window later). Call it after every reserved
    /// send, whatever its outcome.
    public func settle(_ message: InboundMessage) async throws {
        if let shared { return try await shared.settleSend(Self.sendID(message), at: now()) }
        guard let reservation = reservations.removeValue(forKey: message.key) else { return }
        let date = now()
        for key in reservation.keys { history[key, default: []].append(date) }
        try await mark(message.platform, at: date, short: reservation.short)
    }

    /// Persists "sends until `date`" for the next run when the marker would not cover `short` seconds past it.
    private func mark(_ platform: Platform, at date: Date, short: TimeInterval?) async throws {
        guard let short, (markedUntil[platform] ?? .distantPast) < date.addingTimeInterval(short) else { return }
        // At most a few writes a second: the marker runs half a second ahead.
        let until = date.addingTimeInterval(short + 0.5)
        markedUntil[platform] = until
        try await store.block(RateBlock(platform: platform, scope: Self.recentSendScope, until: until,
                                        reason: "sends in the last \(short) s (a restart waits them out)"))
    }

    /// True while a platform-imposed wait is open for the chat (or globally): no request of any kind then. Also
    /// true just after a crash, until the previous run's short windows have passed (its waits may be unknown).
    public func isBlocked(_ message: InboundMessage) async throws -> Bool {
        try await load(message.platform)
        let date = now()
        if let until = previousRunUntil[message.platform], until > date { return true }
        return [Self.chatScope(message.chat.id), "global"].contains { scope in
            (blocks[Self.key(message.platform, scope)]?.until ?? .distantPast) > date
        }
    }

    /// Records a platform-imposed wait, durably.
    public func block(_ platform: Platform, scope: String, for duration: Duration, reason: String) async throws {
        let block = RateBlock(platform: platform, scope: scope, until: now().addingTimeInterval(duration.seconds),
                              reason: reason)
        let key = Self.key(platform, scope)
        if let existing = blocks[key], existing.until >= block.until { return }
        blocks[key] = block
        try await store.block(block)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
