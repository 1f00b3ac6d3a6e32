/// The engine's settings, from `[bot]`, `[limits]` and `[responder]`.
public struct EngineConfiguration: Sendable {
    public var botName: String
    public var persona: String
    /// Responder calls in flight at once (`bot.max_concurrent_replies`).
    public var maxConcurrentReplies: Int
    /// Earlier messages of the conversation sent along (`bot.context_depth`).
    public var contextDepth: Int
    /// Ledger and conversation log entries older than this are pruned (`bot.retention_days`; 0 keeps all).
    public var retentionDays: Int
    /// Consecutive bot replies in one reply chain with the same author before the loop guard stops
    /// (`bot.max_consecutive_replies`).
    public var maxConsecutiveReplies: Int
    public var limits: PolicyLimits
    /// The longest the engine waits for the responder chain (`responder.timeout_seconds` × tries, bounded).
    public var responderDeadline: Duration
    /// Tries for a post that failed without being delivered (5xx, transport before sending).
    public var maxPostAttempts: Int
    /// Tries for a mention whose processing failed in a retryable way before it is marked failed.
    public var maxAttempts: Int
    /// Backoff between failed polls: first and largest wait.
    public var pollBackoff: (initial: Duration, maximum: Duration)

    public init(botName: String = "ReplyTensor", persona: String = "", maxConcurrentReplies: Int = 8,
                contextDepth: Int = 4, retentionDays: Int = 30, maxConsecutiveReplies: Int = 5,
                limits: PolicyLimits = PolicyLimits(), responderDeadline: Duration = .seconds(90),
                maxPostAttempts: Int = 4, maxAttempts: Int = 3,
                pollBackoff: (initial: Duration, maximum: Duration) = (.seconds(1), .seconds(60))) {
        self.botName = botName
        self.persona = persona
        self.maxConcurrentReplies = maxConcurrentReplies
        self.contextDepth = contextDepth
        self.retentionDays = retentionDays
        self.maxConsecutiveReplies = maxConsecutiveReplies
        self.limits = limits
        self.responderDeadline = responderDeadline
        self.maxPostAttempts = maxPostAttempts
        self.maxAttempts = maxAttempts
        self.pollBackoff = pollBackoff
    }
}
