import Foundation

/// Paces sends per platform: the platform's `SendRule`s (sliding windows) and persisted "blocked until" waits
/// (429 `retry_after`), so no request goes into a chat while its wait is open — not even after a restart.
public actor SendGate {
    private let store: any RateLimitStore
    private let now: @Sendable () -> Date
    private var blocks: [String: RateBlock] = [:]
    private var history: [String: [Date]] = [:]
    private var loaded: Set<Platform> = []
    private var startedAt: Date?

    public init(store: any RateLimitStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    /// Marks the start of this process's sending (the engine calls it when it starts): `startupPause` counts from here.
    public func start() {
        startedAt = now()
    }

    static func chatScope(_ chatID: String) -> String { "chat:\(chatID)" }
    private static func key(_ platform: Platform, _ scope: String) -> String { "\(platform)|\(scope)" }

    private func load(_ platform: Platform) async throws {
        guard !loaded.contains(platform) else { return }
        for block in try await store.blocks(for: platform, activeAt: now()) {
            blocks[Self.key(platform, block.scope)] = block
        }
        loaded.insert(platform)
    }

    /// How long a send to `message`'s chat must wait now; zero means a send may go, and it is then counted.
    public func reserve(for message: InboundMessage, rules: [SendRule], startupPause: Duration = .zero) async throws
        -> Duration {
        try await load(message.platform)
        let date = now()
        let platform = message.platform
        let chatScope = Self.chatScope(message.chat.id)
        var wait: TimeInterval = 0
        if let startedAt, startupPause > .zero {
            wait = max(0, startedAt.addingTimeInterval(startupPause.seconds).timeIntervalSince(date))
        }
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
            if recent.count >= rule.limit, let oldest = recent.first {
                wait = max(wait, interval - date.timeIntervalSince(oldest))
            }
            windows.append((key, rule))
        }
        if wait > 0 { return .milliseconds(Int64((wait * 1000).rounded(.up)) + 1) }
        for (key, _) in windows { history[key, default: []].append(date) }
        return .zero
    }

    /// True while a platform-imposed wait is open for the chat (or globally): no request of any kind then.
    public func isBlocked(_ message: InboundMessage) async throws -> Bool {
        try await load(message.platform)
        let date = now()
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
