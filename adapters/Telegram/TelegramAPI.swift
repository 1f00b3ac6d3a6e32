import Foundation

// Wire types of the Bot API (https://core.telegram.org/bots/api), decoded with `convertFromSnakeCase`.
// Only the fields the adapter uses; unknown fields are ignored.

/// A Telegram user or bot.
struct TelegramUser: Decodable, Sendable, Hashable {
    var id: Int64
    var isBot: Bool
    var firstName: String?
    var lastName: String?
    var username: String?
    /// Only in `getMe`.
    var canJoinGroups: Bool?
    /// Only in `getMe`: false while privacy mode is on.
    var canReadAllGroupMessages: Bool?

    var displayName: String? {
        let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// A chat: private, group, supergroup or channel.
struct TelegramChat: Decodable, Sendable, Hashable {
    var id: Int64
    var type: String
    var title: String?
    var username: String?
    var isForum: Bool?
}

/// A special part of a text: mention, command, link… `offset` and `length` count UTF-16 code units.
struct TelegramEntity: Decodable, Sendable, Hashable {
    var type: String
    var offset: Int
    var length: Int
    /// For `text_mention`: the mentioned user.
    var user: TelegramUser?
}

/// A message. `reply_to_message` never nests a further reply, but the type allows it.
struct TelegramMessage: Decodable, Sendable {
    var messageId: Int64
    var messageThreadId: Int64?
    var isTopicMessage: Bool?
    var from: TelegramUser?
    var senderChat: TelegramChat?
    var chat: TelegramChat
    var date: Int64
    var text: String?
    var entities: [TelegramEntity]?
    var caption: String?
    var captionEntities: [TelegramEntity]?
    var replyToMessage: TelegramMessageBox?
    /// Only in a forum topic's first message: the service message that created the topic.
    var forumTopicCreated: TelegramForumTopicCreated?

    /// The message this one replies to. In a forum topic, a message that replies to nothing in particular still
    /// carries the topic's creation message as `reply_to_message` (the Bot API server fills in an implicit reply to
    /// the topic's first message); that one is no reply: it has no text, and in a topic the bot created it is the
    /// bot's, which would make every message of the topic a reply to the bot.
    var explicitReply: TelegramMessage? {
        guard let parent = replyToMessage?.message else { return nil }
        if parent.forumTopicCreated != nil { return nil }
        if isTopicMessage == true, let threadID = messageThreadId, parent.messageId == threadID { return nil }
        return parent
    }

    /// The text or, for media, the caption, with its entities.
    var body: (text: String, entities: [TelegramEntity])? {
        if let text { return (text, entities ?? []) }
        if let caption { return (caption, captionEntities ?? []) }
        return nil
    }
}

/// `forum_topic_created`: only its presence matters here.
struct TelegramForumTopicCreated: Decodable, Sendable {
    var name: String?
}

/// Holds a nested message (a struct cannot contain itself). Immutable, hence `Sendable`.
final class TelegramMessageBox: Decodable, Sendable {
    let message: TelegramMessage
    init(from decoder: any Decoder) throws { message = try TelegramMessage(from: decoder) }
}

/// One update of `getUpdates`.
struct TelegramUpdate: Decodable, Sendable {
    var updateId: Int64
    var message: TelegramMessage?
    var editedMessage: TelegramMessage?
}

/// An update decoded on its own, so that one malformed update does not spoil its page.
enum TelegramUpdateSlot: Decodable, Sendable {
    case update(TelegramUpdate)
    /// The update could not be decoded; its id when at least that was readable.
    case invalid(updateID: Int64?, reason: String)

    private enum Keys: String, CodingKey { case updateId }

    init(from decoder: any Decoder) throws {
        do {
            self = .update(try TelegramUpdate(from: decoder))
        } catch {
            let container = try? decoder.container(keyedBy: Keys.self)
            var id: Int64?
            if let container {
                id = (try? container.decode(Int64.self, forKey: .updateId))
                    ?? (try? container.decode(String.self, forKey: .updateId)).flatMap { Int64($0) }
            }
            self = .invalid(updateID: id, reason: TelegramDecoding.describe(error))
        }
    }
}

/// `parameters` of an error answer.
struct TelegramResponseParameters: Decodable, Sendable {
    var retryAfter: Int?
    var migrateToChatId: Int64?
}

/// Every Bot API answer: `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…}`.
struct TelegramEnvelope<Result: Decodable>: Decodable {
    var ok: Bool
    var result: Result?
    var errorCode: Int?
    var description: String?
    var parameters: TelegramResponseParameters?
}

/// The error part of an envelope, decoded without caring about `result`.
struct TelegramErrorEnvelope: Decodable {
    var ok: Bool?
    var errorCode: Int?
    var description: String?
    var parameters: TelegramResponseParameters?
}

/// A result we do not look into (`true` of `sendChatAction`, `deleteWebhook`).
struct TelegramIgnored: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// What `getMe` says about the bot; `replytensor check` prints it and warns about privacy mode.
public struct TelegramBotInfo: Sendable, Hashable {
    public var id: Int64
    public var username: String
    public var displayName: String?
    public var canJoinGroups: Bool
    /// False while privacy mode is on: plain @mentions in groups may then never reach the bot.
    public var canReadAllGroupMessages: Bool

    /// A warning for `check` when privacy mode is on, `nil` otherwise. It says what BotFather says (/setprivacy:
    /// "'Enable' - your bot will only receive messages that either start with the '/' symbol or mention the bot by
    /// username"): mentions by username do arrive; what does not is the rest of the group's conversation.
    public var privacyWarning: String? {
        guard !canReadAllGroupMessages else { return nil }
        return "Telegram privacy mode is on for @\(username): in groups the bot receives only messages that start "
            + "with '/' or mention @\(username) by username, and replies to its own messages. Those are what it "
            + "answers, so mentions, commands and replies work; other group messages never reach it. To let it "
            + "receive every group message, disable privacy mode with BotFather (/setprivacy → Disable), then "
            + "remove the bot from each group and add it again."
    }
}

enum TelegramDecoding {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// A short, secret-free description of a decoding error.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "wrong type at \(path(context)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "missing value at \(path(context)): expected \(type)"
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing key \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .dataCorrupted(let context):
            return "invalid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
