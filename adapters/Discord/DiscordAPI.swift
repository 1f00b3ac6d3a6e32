import Foundation
import ReplyTensorCore

// The JSON shapes of Discord's HTTP API v10 that the adapter reads and writes (snake_case on the wire).

struct DiscordUser: Codable, Sendable, Hashable {
    var id: String
    var username: String
    var globalName: String?
    var bot: Bool?
    var system: Bool?

    var readableName: String { globalName ?? username }
}

struct DiscordPartialGuild: Codable, Sendable {
    var id: String
    var name: String
    var permissions: String?
}

struct DiscordOverwrite: Codable, Sendable {
    var id: String
    /// 0 role, 1 member.
    var type: Int
    var allow: String
    var deny: String
}

struct DiscordThreadMetadata: Codable, Sendable {
    var archived: Bool?
    var locked: Bool?
}

struct DiscordChannel: Codable, Sendable {
    var id: String
    var type: Int
    var guildId: String?
    var name: String?
    var lastMessageId: String?
    var parentId: String?
    var permissionOverwrites: [DiscordOverwrite]?
    var threadMetadata: DiscordThreadMetadata?

    /// Text (0), announcement (5) and threads (10 announcement thread, 11 public, 12 private).
    var isReadableText: Bool { [0, 5, 10, 11, 12].contains(type) }
    var isThread: Bool { [10, 11, 12].contains(type) }
}

struct DiscordThreadList: Codable, Sendable {
    var threads: [DiscordChannel]
}

struct DiscordRoleTags: Codable, Sendable {
    var botId: String?
}

struct DiscordRole: Codable, Sendable {
    var id: String
    var name: String
    var permissions: String
    var managed: Bool?
    var tags: DiscordRoleTags?
}

struct DiscordMember: Codable, Sendable {
    var roles: [String]
}

struct DiscordMessageReference: Codable, Sendable {
    var messageId: String?
    var channelId: String?
    var guildId: String?
    var failIfNotExists: Bool?
}

/// A message. `referenced_message` is itself a message (without its own `referenced_message`).
final class DiscordMessage: Codable, Sendable {
    let id: String
    let channelId: String
    let guildId: String?
    let author: DiscordUser
    let content: String
    let timestamp: String?
    let type: Int
    let mentions: [DiscordUser]?
    let mentionRoles: [String]?
    let mentionEveryone: Bool?
    let webhookId: String?
    let messageReference: DiscordMessageReference?
    let referencedMessage: DiscordMessage?
}

struct DiscordAllowedMentions: Codable, Sendable {
    var parse: [String]
    var repliedUser: Bool
}

struct DiscordCreateMessage: Codable, Sendable {
    var content: String
    var messageReference: DiscordMessageReference?
    var allowedMentions: DiscordAllowedMentions
    var nonce: String
    var enforceNonce: Bool
}

/// `{"code", "message", "errors"}`.
struct DiscordErrorBody: Decodable, Sendable {
    var code: Int?
    var message: String?
}

/// The 429 body.
struct DiscordRateLimitBody: Decodable, Sendable {
    var message: String?
    var retryAfter: Double?
    var global: Bool?
}

extension BotError {
    /// Errors that end a polling round (and discovery) at once instead of being skipped channel by channel: a
    /// rejected token, cancellation, and a hold on every request (a global rate limit, a Cloudflare ban).
    var endsRound: Bool {
        code == .platformStopped || code == .cancelled || (code == .rateLimited && scope == "global")
    }
}

enum DiscordCoding {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case DecodingError.valueNotFound(let type, let context):
            return "\(path(context.codingPath)): null where \(type) was expected"
        case DecodingError.dataCorrupted(let context):
            return "invalid JSON at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
