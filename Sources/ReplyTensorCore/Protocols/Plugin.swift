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

/// Small hooks around the way of one mention. Every hook has a default that does nothing.
public protocol Plugin: Sendable {
    /// The name used in `[plugins] enabled`.
    var name: String { get }
    func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision
    func shape(_ prompt: Prompt, for message: InboundMessage) -> Prompt
    func shape(reply: String, for message: InboundMessage) -> String
}

extension Plugin {
    public func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision { .proceed }
    public func shape(_ prompt: Prompt, for message: InboundMessage) -> Prompt { prompt }
    public func shape(reply: String, for message: InboundMessage) -> String { reply }
}
