import Foundation

extension DiscordEmulator {
    /// A user (or bot) account.
    public struct User: Sendable, Hashable {
        public var id: String
        public var username: String
        public var globalName: String?
        public var bot: Bool
    }

    public struct Guild: Sendable, Hashable {
        public var id: String
        public var name: String
    }

    /// A guild channel or thread (`type` 0 text, 5 announcement, 11 public thread (also a forum post), 15 forum,
    /// 16 media; 2 voice and 4 category exist too and must be ignored by a poller).
    public struct Channel: Sendable, Hashable {
        public var id: String
        public var guildID: String
        public var name: String
        public var type: Int
        public var parentID: String?
    }

    /// A message as stored by the emulator.
    public struct Message: Sendable, Hashable {
        public var id: String
        public var channelID: String
        public var guildID: String
        public var author: User
        public var content: String
        /// 0 default, 19 reply, 7 member join (a system message), …
        public var type: Int
        public var mentions: [User]
        public var mentionRoles: [String]
        public var mentionEveryone: Bool
        public var webhookID: String?
        public var referenceID: String?
        public var nonce: String?
    }

    /// A message a bot created with `POST /channels/{id}/messages`, with what it asked for.
    public struct SentMessage: Sendable, Hashable {
        public var message: Message
        /// The bot (by token) that sent it.
        public var botID: String
        public var replyTo: String?
        public var failIfNotExists: Bool?
        /// `allowed_mentions.parse`, `nil` when the request had no `allowed_mentions` (then everything parses).
        public var allowedParse: [String]?
        public var repliedUser: Bool?
        public var nonce: String?
        public var enforceNonce: Bool
        /// Who the content notified: `everyone`, `user:<id>`, `role:<id>` (the replied-to user is not listed).
        public var contentPings: [String]

        public var text: String { message.content }
        public var channelID: String { message.channelID }
    }

    /// Requests that broke Discord's rules (each got the 429 Discord would give).
    public struct Violations: Sendable, Hashable {
        /// Requests into a bucket with no remaining requests.
        public var exhaustedBucket = 0
        /// Requests beyond 50 in one second for one bot.
        public var globalExcess = 0
        /// Requests while a 429's `retry_after` was open for their bucket (or globally).
        public var retryAfterIgnored = 0
        /// Requests without the required `User-Agent: DiscordBot (url, version)`.
        public var badUserAgent = 0
        /// Requests into exhausted buckets by route template (where `exhaustedBucket` came from).
        public var exhaustedByRoute: [String: Int] = [:]

        public var total: Int { exhaustedBucket + globalExcess + retryAfterIgnored + badUserAgent }
        public init() {}
    }

    /// One bucket's allowance.
    public struct BucketRule: Sendable, Hashable {
        public var limit: Int
        public var per: Duration
        public init(limit: Int, per: Duration) {
            self.limit = limit
            self.per = per
        }
    }

    /// The limits the emulator enforces per bot.
    public struct Rates: Sendable, Hashable {
        /// `POST /channels/{id}/messages`: Discord's 5 per 5 s per channel.
        public var createMessage = BucketRule(limit: 5, per: .seconds(5))
        /// `GET /channels/{id}/messages` and single messages.
        public var readMessages = BucketRule(limit: 5, per: .seconds(1))
        public var typing = BucketRule(limit: 5, per: .seconds(5))
        /// Guild listings (channels, threads, roles, members).
        public var guildRoutes = BucketRule(limit: 20, per: .seconds(5))
        /// `/users/@me` and `/users/@me/guilds`.
        public var userRoutes = BucketRule(limit: 5, per: .seconds(5))
        /// Requests per second per bot.
        public var global = 50
        public init() {}
        public static let discord = Rates()
    }
}
