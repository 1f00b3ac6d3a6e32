import Foundation

/// Who the bot is on one platform.
public struct BotIdentity: Sendable, Hashable {
    public var platform: Platform
    public var id: String
    public var handle: String?
    public var displayName: String?
    /// Platform specifics, e.g. Discord managed role ids (`roles`), Telegram privacy mode.
    public var extras: [String: String]

    public init(platform: Platform, id: String, handle: String? = nil, displayName: String? = nil,
                extras: [String: String] = [:]) {
        self.platform = platform
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.extras = extras
    }
}

/// Input the adapter could not use, counted and logged by the engine, never fatal.
public struct RejectedInput: Sendable, Hashable {
    public var reason: String
    public var detail: String
    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// One poll's result. The engine admits `messages` to the ledger and only then saves `cursorUpdates`.
public struct PollPage: Sendable {
    /// Messages addressed to the bot (including ones from bots or the bot itself: the guards decide), oldest first.
    public var messages: [InboundMessage]
    /// Cursor scope → new value, saved after every message above is durably admitted.
    public var cursorUpdates: [String: String]
    public var rejected: [RejectedInput]
    /// How long to wait before the next poll (zero for long polling, which waits inside `poll`).
    public var nextPollDelay: Duration

    public init(messages: [InboundMessage] = [], cursorUpdates: [String: String] = [:],
                rejected: [RejectedInput] = [], nextPollDelay: Duration = .zero) {
        self.messages = messages
        self.cursorUpdates = cursorUpdates
        self.rejected = rejected
        self.nextPollDelay = nextPollDelay
    }
}

/// A platform: a few async primitives plus its rules as values.
public protocol PlatformAdapter: Sendable {
    var platform: Platform { get }
    var rules: PlatformRules { get }

    /// Who the bot is; called once at start (and by `check`).
    func identity() async throws -> BotIdentity
    /// Fetches messages addressed to the bot after the saved cursors (scope → value).
    func poll(cursors: [String: String]) async throws -> PollPage
    /// Earlier messages of the conversation, oldest first, at most `depth`.
    func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage]
    /// Posts one part of a reply and returns the id of the created message. `idempotencyKey` is stable for
    /// (mention, part): platforms that support it use it so a resend cannot create a second message.
    func post(_ text: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String) async throws
        -> String
    /// Shows "typing…" where the platform has it.
    func indicateTyping(for message: InboundMessage) async throws
    /// After a crash in `posting`: the ids of the bot's replies to `message` if they can be found, `nil` when
    /// the platform cannot tell (the mention is then marked `unknown`).
    func reconcile(_ message: InboundMessage) async throws -> [String]?
}

extension PlatformAdapter {
    public func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage] { [] }
    public func indicateTyping(for message: InboundMessage) async throws {}
    public func reconcile(_ message: InboundMessage) async throws -> [String]? { nil }
}
