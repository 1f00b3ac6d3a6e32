import Foundation
import ReplyTensorCore

/// Decides whether a message is addressed to the bot and renders its text for the prompt.
///
/// Addressed: the bot in `mentions`; a reply whose `referenced_message` the bot wrote; a mention of the bot's
/// managed role. Never addressed: system messages (any type but 0 default and 19 reply). Bots, webhooks and the bot
/// itself are passed on marked as such, and the engine's guards skip them with a recorded reason.
struct DiscordAddressing: Sendable {
    var botID: String
    /// The bot's managed role per guild id.
    var managedRoles: [String: String]
    /// Role names per role id, for readable role mentions.
    var roleNames: [String: String]
    /// Channel names per channel id, for readable channel mentions.
    var channelNames: [String: String]

    func kind(of message: DiscordMessage) -> AddressKind? {
        guard message.type == 0 || message.type == 19 else { return nil }
        if message.mentions?.contains(where: { $0.id == botID }) == true { return .mention }
        if message.referencedMessage?.author.id == botID { return .reply }
        if let guild = message.guildId, let role = managedRoles[guild], message.mentionRoles?.contains(role) == true {
            return .roleMention
        }
        return nil
    }

    /// The content with the bot's own mention (and managed role) removed, other users, roles and channels written
    /// as readable names.
    func render(_ message: DiscordMessage) -> String {
        let users = Dictionary((message.mentions ?? []).map { ($0.id, $0.readableName) },
                               uniquingKeysWith: { first, _ in first })
        let ownRole = message.guildId.flatMap { managedRoles[$0] }
        var text = message.content
        // Every markup pattern needs a "<" (a regex costs its compilation each call).
        if text.utf8.contains(UInt8(ascii: "<")) {
            text = text.replacing(/<@&(\d+)>/) { match in
                let id = String(match.output.1)
                if id == ownRole { return "" }
                return "@" + (roleNames[id] ?? "role")
            }
            text = text.replacing(/<@!?(\d+)>/) { match in
                let id = String(match.output.1)
                if id == botID { return "" }
                return "@" + (users[id] ?? "user")
            }
            text = text.replacing(/<#(\d+)>/) { match in "#" + (channelNames[String(match.output.1)] ?? "channel") }
        }
        // The removed mention leaves doubled spaces behind.
        text = text.replacing(/[ \t]{2,}/, with: " ")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func author(_ message: DiscordMessage) -> Author {
        Author(id: message.author.id, handle: message.author.username, displayName: message.author.globalName,
               isBot: message.author.bot == true || message.author.system == true || message.webhookId != nil)
    }
}
