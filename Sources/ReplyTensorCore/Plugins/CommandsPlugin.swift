/// `/help`, `/about`, `/ping` answered locally, without calling the responder.
public struct CommandsPlugin: Plugin {
    public let name = "commands"
    public var botName: String
    public var about: String

    public init(botName: String, about: String? = nil) {
        self.botName = botName
        self.about = about ?? "\(botName) answers with Bittensor's prompting subnet. Mention me or reply to me to ask."
    }

    public func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision {
        guard let command = Self.command(in: message.text) else { return .proceed }
        switch command {
        case "help", "start":
            return .answer("Mention me or reply to one of my messages and I'll answer. Commands: /help, /about, /ping.")
        case "about":
            return .answer(about)
        case "ping":
            return .answer("pong")
        default:
            return .proceed
        }
    }

    /// The command name of a text starting with `/name` (an `@bot` suffix is ignored), lowercased.
    static func command(in text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix("/") else { return nil }
        let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
        let name = word.split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        return name.isEmpty ? nil : name.lowercased()
    }
}
