import Foundation

// The Bot API objects the emulator serves, encoded with `convertToSnakeCase` exactly as Telegram spells them.

extension TelegramEmulator {
    /// A user or bot (`User`).
    public struct User: Sendable, Hashable, Codable {
        public var id: Int64
        public var isBot: Bool
        public var firstName: String
        public var lastName: String?
        public var username: String?
        /// `getMe` only.
        public var canJoinGroups: Bool?
        /// `getMe` only: false while privacy mode is on.
        public var canReadAllGroupMessages: Bool?
        /// `getMe` only.
        public var supportsInlineQueries: Bool?

        public init(id: Int64, isBot: Bool = false, firstName: String, lastName: String? = nil,
                    username: String? = nil) {
            self.id = id
            self.isBot = isBot
            self.firstName = firstName
            self.lastName = lastName
            self.username = username
        }

        /// The user as it appears inside messages (without the `getMe` fields).
        var plain: User { User(id: id, isBot: isBot, firstName: firstName, lastName: lastName, username: username) }
    }

    /// The kinds of chat.
    public enum ChatType: String, Sendable, Hashable, Codable {
        case `private`, group, supergroup, channel
    }

    /// A chat (`Chat`).
    public struct Chat: Sendable, Hashable, Codable {
        public var id: Int64
        public var type: ChatType
        public var title: String?
        public var username: String?
        public var firstName: String?
        public var isForum: Bool?

        public init(id: Int64, type: ChatType, title: String? = nil, username: String? = nil,
                    firstName: String? = nil, isForum: Bool? = nil) {
            self.id = id
            self.type = type
            self.title = title
            self.username = username
            self.firstName = firstName
            self.isForum = isForum
        }
    }

    /// A `MessageEntity`; `offset` and `length` are UTF-16 code units.
    public struct Entity: Sendable, Hashable, Codable {
        public var type: String
        public var offset: Int
        public var length: Int
        public var user: User?

        public init(type: String, offset: Int, length: Int, user: User? = nil) {
            self.type = type
            self.offset = offset
            self.length = length
            self.user = user
        }

        /// An entity of `type` covering the first occurrence of `part` in `text` (UTF-16 offsets computed).
        public static func covering(_ part: String, in text: String, type: String, user: User? = nil) -> Entity? {
            guard let range = text.range(of: part) else { return nil }
            let offset = text.utf16.distance(from: text.utf16.startIndex, to: range.lowerBound)
            return Entity(type: type, offset: offset, length: part.utf16.count, user: user)
        }

        /// A `text_mention` of `user` covering `part` of `text` (for users without a username).
        public static func textMention(_ part: String, in text: String, user: User) -> Entity? {
            covering(part, in: text, type: "text_mention", user: user)
        }
    }

    /// A message (`Message`). `replyToMessage` holds a message without its own reply, like Telegram's.
    public struct Message: Sendable, Codable {
        public var messageId: Int64
        public var messageThreadId: Int64?
        public var isTopicMessage: Bool?
        public var from: User?
        public var chat: Chat
        public var date: Int64
        public var text: String?
        public var entities: [Entity]?
        public var caption: String?
        public var captionEntities: [Entity]?
        public var replyToMessage: MessageBox?
        /// Only in a topic's first message, the service message that created it.
        public var forumTopicCreated: ForumTopicCreated?

        /// The text, or the caption of a media message.
        public var body: String? { text ?? caption }
        /// The message without its replied-to message (how it appears inside `reply_to_message`).
        var flat: Message {
            var copy = self
            copy.replyToMessage = nil
            return copy
        }
    }

    /// `ForumTopicCreated`: the content of a topic's creation message.
    public struct ForumTopicCreated: Sendable, Hashable, Codable {
        public var name: String
        public var iconColor: Int
    }

    /// Holds a nested message; immutable, hence `Sendable`.
    public final class MessageBox: Sendable, Codable {
        public let message: Message
        public init(_ message: Message) { self.message = message }
        public init(from decoder: any Decoder) throws { message = try Message(from: decoder) }
        public func encode(to encoder: any Encoder) throws { try message.encode(to: encoder) }
    }

    /// One update as served by `getUpdates`.
    struct Update: Encodable {
        var updateId: Int64
        var message: Message
    }

    /// A message the bot sent, with the parameters it used.
    public struct SentMessage: Sendable {
        public var message: Message
        public var chatID: Int64
        public var text: String
        /// `reply_parameters.message_id` (or the legacy `reply_to_message_id`).
        public var replyToMessageID: Int64?
        public var allowSendingWithoutReply: Bool?
        public var messageThreadID: Int64?
        public var parseMode: String?
        public var linkPreviewDisabled: Bool?
        public var at: Date
    }

    /// A chat action the bot sent (`sendChatAction`).
    public struct ChatAction: Sendable, Hashable {
        public var chatID: Int64
        public var action: String
        public var messageThreadID: Int64?
        public var at: Date
    }

    /// Requests that broke Telegram's send limits.
    public struct Violations: Sendable, Hashable {
        /// Sends into a scope while a `retry_after` given for it was still running.
        public var retryAfterIgnored = 0
        /// Sends beyond a rule (1/s per chat, 20/min per group, 30/s overall).
        public var ruleExcess = 0
        public var total: Int { retryAfterIgnored + ruleExcess }

        public init(retryAfterIgnored: Int = 0, ruleExcess: Int = 0) {
            self.retryAfterIgnored = retryAfterIgnored
            self.ruleExcess = ruleExcess
        }
    }

    /// The send limits the emulator enforces (shorten them for fast tests). The defaults are Telegram's, from the
    /// Bot FAQ, "My bot is hitting limits, how do I avoid this?"
    /// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): "avoid sending more than one
    /// message per second" in a chat, "the API will not allow more than 30 messages per second or so" in bulk, and "your
    /// bot will not be able to send more than 20 messages per minute to the same group"; beyond them "you'll begin
    /// receiving 429 errors".
    public struct Rates: Sendable, Hashable {
        public var perChat: (limit: Int, interval: Duration)
        public var perGroup: (limit: Int, interval: Duration)
        public var global: (limit: Int, interval: Duration)
        /// Slack for clock jitter: a send counts against a window only when it is older than `interval - tolerance`.
        public var tolerance: Duration
        public var enforced: Bool

        public init(perChat: (Int, Duration) = (1, .seconds(1)), perGroup: (Int, Duration) = (20, .seconds(60)),
                    global: (Int, Duration) = (30, .seconds(1)), tolerance: Duration = .milliseconds(50),
                    enforced: Bool = true) {
            self.perChat = perChat
            self.perGroup = perGroup
            self.global = global
            self.tolerance = tolerance
            self.enforced = enforced
        }

        /// Telegram's limits.
        public static let telegram = Rates()
        /// The rules off: every send is accepted and none counts as a violation (a 429 a fault gave still holds
        /// for its `retry_after`; sends made meanwhile still count in the windows if the rules come back on). Not a Telegram behaviour: a switch for runs that compare bots' own costs, such as
        /// `replytensor-bench telegram --peer`, where a bot without a rate limiter must not be refused.
        public static let off = Rates(enforced: false)

        public static func == (lhs: Rates, rhs: Rates) -> Bool {
            lhs.perChat == rhs.perChat && lhs.perGroup == rhs.perGroup && lhs.global == rhs.global
                && lhs.tolerance == rhs.tolerance && lhs.enforced == rhs.enforced
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(perChat.limit)
            hasher.combine(perGroup.limit)
            hasher.combine(global.limit)
            hasher.combine(enforced)
        }
    }
}
