import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The X API v2 adapter: mentions polling (`GET /2/users/{id}/mentions`), replies (`POST /2/tweets`), OAuth 1.0a
/// or OAuth 2.0, rate-limit windows, a daily post budget and a daily spend cap kept in the store.
///
/// Ids: `InboundMessage.id` is the tweet id (unique on X); the chat is the conversation (`conversation_id`).
/// Cursor: one scope, `since_id`, advanced to the newest mention id only when every page of a poll was read.
/// State (adapter state store, so restarts honour it): `rate.<endpoint>` windows, `cap.app24` / `cap.user24`
/// (`TwitterRateWindows`), `poll.next_at`, `post_budget.day` / `post_budget.used` (`TwitterPostBudget`),
/// `spend.day` / `spend.micro_usd` (`TwitterSpendCap`); in a store several replicas share, `post_budget` and `spend`
/// (day and count in one value) instead of the two-key pairs (`TwitterDailyCount`).
///
/// The parts: identity here; polling in `+Polling` (tweets to messages in `+Inbound`); replies in `+Posting`;
/// crash recovery in `+Reconcile`; error mapping in `+Errors`.
public actor TwitterAdapter: PlatformAdapter {
    public nonisolated let platform: Platform = .twitter
    public nonisolated let rules: PlatformRules

    public static let sinceCursor = "since_id"
    static let nextPollKey = "poll.next_at"
    public static let budgetDayKey = TwitterPostBudget.dayKey
    public static let budgetUsedKey = TwitterPostBudget.usedKey

    static let tweetFields = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets,entities,"
        + "reply_settings,note_tweet"
    static let expansions = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
    static let userFields = "username,name"

    let configuration: TwitterConfiguration
    let environment: AdapterEnvironment
    let client: TwitterClient
    let logger: Logger
    let windows: TwitterRateWindows
    let budget: TwitterPostBudget
    let spend: TwitterSpendCap
    /// One post at a time: the budget and the post windows are checked and counted without interleaving.
    let postLock = AsyncLock()
    /// The bot's account, once `users/me` answered.
    private var me: XUser?
    /// The id of the last part posted per mention (a thread continues from it).
    var lastPart: [String: String] = [:]
    /// Mentions whose post got a 5xx: a later "duplicate content" means the first post did go out.
    var uncertainPosts: Set<String> = []

    public init(configuration: TwitterConfiguration, environment: AdapterEnvironment) {
        self.configuration = configuration
        self.environment = environment
        var logger = environment.logger
        logger[metadataKey: "platform"] = "twitter"
        self.logger = logger
        self.client = TwitterClient(configuration: configuration, environment: environment, logger: logger)
        self.windows = TwitterRateWindows(state: environment.state, now: environment.now, logger: logger,
                                          shared: environment.isSharedStore)
        self.budget = TwitterPostBudget(limit: configuration.dailyPostBudget, state: environment.state,
                                        now: environment.now, shared: environment.isSharedStore)
        self.spend = TwitterSpendCap(spending: configuration.spending, state: environment.state, now: environment.now,
                                     shared: environment.isSharedStore)
        self.rules = PlatformRules(
            length: PostText.rule, overflow: configuration.threadReplies ? .split : .truncate,
            maxParts: configuration.threadReplies ? configuration.maxThreadParts : 1, typingInterval: nil,
            sendRules: [], idempotentPost: false,
            output: OutputAllowances(links: configuration.allowLinks, mentions: configuration.allowMentions))
    }

    /// OAuth 2.0 refreshes made by this adapter (0 with OAuth 1.0a).
    public func refreshCount() async -> Int { await client.session?.refreshCount ?? 0 }

    /// Posts counted today (UTC).
    public func postsToday() async throws -> Int { try await budget.postsToday() }

    /// What today's (UTC) posts and reads cost at the configured prices, in dollars.
    public func spentToday() async throws -> Double { Double(try await spend.spentToday()) / 1_000_000 }

    // MARK: Identity

    /// What `check` reports: the account and the rate-limit windows seen on `users/me`.
    public struct Verification: Sendable {
        public var id: String
        public var username: String
        public var name: String?
        public var window: RateWindow?
        public var appCap: RateWindow?
        public var userCap: RateWindow?
    }

    /// `GET /2/users/me`.
    public func verify() async throws -> Verification {
        try await windows.load()
        if let wait = try await windows.reserve([TwitterRateWindows.me]) {
            throw BotError(.rateLimited, "users/me: rate limit window exhausted", platform: .twitter,
                           retryAfter: wait, scope: "global")
        }
        let response = try await client.send("GET", "/2/users/me", query: [("user.fields", Self.userFields)])
        try await windows.record(response.headers, window: TwitterRateWindows.me)
        try check(response, what: "users/me")
        guard let envelope = try? JSONDecoder().decode(XEnvelope<XUser>.self, from: response.body),
              let user = envelope.data, let username = user.username else {
            throw BotError(.decoding, "users/me: unreadable answer", platform: .twitter, httpStatus: response.status)
        }
        me = user
        return Verification(id: user.id, username: username, name: user.name,
                            window: windows[TwitterRateWindows.me], appCap: windows[TwitterRateWindows.appCap],
                            userCap: windows[TwitterRateWindows.userCap])
    }

    public func identity() async throws -> BotIdentity {
        let verified = try await verify()
        return BotIdentity(platform: .twitter, id: verified.id, handle: verified.username, displayName: verified.name)
    }

    /// The bot's account, from `users/me` the first time.
    func knownMe() async throws -> XUser {
        if let me { return me }
        _ = try await verify()
        return me!
    }
}
