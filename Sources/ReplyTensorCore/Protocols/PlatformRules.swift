import Foundation

/// How a platform measures the length of a message.
public struct LengthRule: Sendable {
    public var limit: Int
    public var unit: String
    public var measure: @Sendable (String) -> Int

    public init(limit: Int, unit: String, measure: @escaping @Sendable (String) -> Int) {
        self.limit = limit
        self.unit = unit
        self.measure = measure
    }

    /// UTF-16 code units (Telegram's 4096).
    public static func utf16(_ limit: Int) -> LengthRule {
        LengthRule(limit: limit, unit: "UTF-16 code units") { $0.utf16.count }
    }

    /// Unicode code points (Discord's 2000 characters).
    public static func codePoints(_ limit: Int) -> LengthRule {
        LengthRule(limit: limit, unit: "code points") { $0.unicodeScalars.count }
    }
}

/// A send rate the platform enforces (documented or not): at most `limit` sends per `interval` in `scope`.
public struct SendRule: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable {
        /// All sends of this bot on the platform.
        case global
        /// Sends into one chat.
        case chat
        /// Sends into one group chat (not direct messages).
        case groupChat
    }

    public var scope: Scope
    public var limit: Int
    public var interval: Duration

    public init(_ scope: Scope, limit: Int, per interval: Duration) {
        self.scope = scope
        self.limit = limit
        self.interval = interval
    }
}

/// The platform's rules, supplied by the adapter.
public struct PlatformRules: Sendable {
    public enum Overflow: Sendable { case split, truncate }

    public var length: LengthRule
    public var overflow: Overflow
    public var maxParts: Int
    /// How often to repeat the typing indicator; `nil` when the platform has none.
    public var typingInterval: Duration?
    public var sendRules: [SendRule]
    /// True when a post carries an idempotency key the platform honours, so a resend after a crash is safe.
    public var idempotentPost: Bool
    /// What answers may carry untouched (links, other people's `@handles`); nothing by default.
    public var output: OutputAllowances
    /// How long after a post the platform still honours its idempotency key; `nil` = for ever. Past it a resend
    /// could create a second message, so a post interrupted longer ago is reconciled instead.
    public var idempotencyWindow: Duration?

    public init(length: LengthRule, overflow: Overflow = .split, maxParts: Int = 4, typingInterval: Duration? = nil,
                sendRules: [SendRule] = [], idempotentPost: Bool = false, idempotencyWindow: Duration? = nil,
                output: OutputAllowances = .none) {
        self.length = length
        self.overflow = overflow
        self.maxParts = maxParts
        self.typingInterval = typingInterval
        self.sendRules = sendRules
        self.idempotentPost = idempotentPost
        self.output = output
        self.idempotencyWindow = idempotencyWindow
    }

    /// Whether a resend is still de-duplicated at `now` for a post last under way at `postingSince` (the ledger's
    /// last record of it: entering `posting`, or the previous part posted).
    public func resendIsDeduplicated(postingSince: Date, now: Date) -> Bool {
        guard idempotentPost else { return false }
        guard let window = idempotencyWindow else { return true }
        return now.timeIntervalSince(postingSince) < window.seconds
    }
}
