/// What a plugin decides about an inbound message.
public enum PluginDecision: Sendable, Hashable {
    /// Let the message go on to the next plugin and the responder.
    case proceed
    /// Do not answer; the reason is recorded in the ledger.
    case skip(reason: String)
    /// Answer with this text without calling the responder.
    case answer(String)
}

/// What plugins may know when they inspect a message.
public struct PluginContext: Sendable {
    public var identity: BotIdentity
    public var botName: String
    /// How many replies the bot has already made in this message's reply chain, counted consecutively.
    public var botRepliesInChain: Int

    public init(identity: BotIdentity, botName: String, botRepliesInChain: Int = 0) {
        self.identity = identity
        self.botName = botName
        self.botRepliesInChain = botRepliesInChain
    }
}

/// What plugins may know when they shape an answer.
public struct ReplyContext: Sendable {
    /// What the platform's settings let answers carry untouched.
    public var allowances: OutputAllowances

    public init(allowances: OutputAllowances = .none) {
        self.allowances = allowances
    }
}

/// A plugin's verdict on a responder's answer, before the answer is accepted.
public enum AnswerVerdict: Sendable, Hashable {
    case accept
    /// The answer must not be posted: it counts as its responder's failure with `reason` (e.g. `policy.denied`), and
    /// the next responder is asked. `detail` says why, for the log; it never quotes the answer.
    case deny(reason: String, detail: String)
}

/// Small hooks around the way of one mention. Every hook has a default that does nothing.
public protocol Plugin: Sendable {
    /// The name used in `[plugins] enabled`.
    var name: String { get }
    func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision
    func shape(_ prompt: Prompt, for message: InboundMessage) -> Prompt
    /// Judges a responder's answer (as the responder wrote it) before it is accepted; `.deny` makes the responder
    /// chain ask the next responder.
    func review(_ answer: String, for message: InboundMessage) -> AnswerVerdict
    func shape(reply: String, for message: InboundMessage) -> String
    /// The engine calls this one; by default it is `shape(reply:for:)`.
    func shape(reply: String, for message: InboundMessage, context: ReplyContext) -> String
}

extension Plugin {
    public func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision { .proceed }
    public func shape(_ prompt: Prompt, for message: InboundMessage) -> Prompt { prompt }
    public func review(_ answer: String, for message: InboundMessage) -> AnswerVerdict { .accept }
    public func shape(reply: String, for message: InboundMessage) -> String { reply }
    public func shape(reply: String, for message: InboundMessage, context: ReplyContext) -> String {
        shape(reply: reply, for: message)
    }
}
