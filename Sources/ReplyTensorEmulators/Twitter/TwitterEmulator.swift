import Foundation
import Hummingbird
import ReplyTensorTestSupport

/// A loopback emulator of the X API v2 for one bot account: `GET /2/users/me`, `GET /2/users/{id}/mentions`
/// (since_id, pagination, the 800 cap, `data` absent when empty, `includes`, `meta`), `GET /2/users/{id}/tweets`,
/// `GET /2/tweets/{id}`, `POST /2/tweets` (the reply restriction, duplicate content, one cashtag at most, the weighted
/// length with twitter-text's URLs), `POST /2/oauth2/token` (refresh-token rotation). Long posts carry their full
/// text in `note_tweet`. Requests must carry a valid OAuth 1.0a signature or a live Bearer token. Every response
/// carries `x-rate-limit-*` headers from per-endpoint windows that tests can shorten; `usage` is what pay-per-use
/// would bill.
public final class TwitterEmulator: Sendable {
    public let server: EmulatorServer
    public let recorder: RequestRecorder
    public let faults: FaultPlan
    public let bot: User
    /// The OAuth 1.0a secrets the emulator accepts (the bot account's app and access token).
    public let consumerKey: String
    public let consumerSecret: String
    public let accessToken: String
    public let accessTokenSecret: String
    /// The OAuth 2.0 client.
    public let clientID: String
    public let clientSecret: String
    let state: TwitterEmulatorState

    /// `http://127.0.0.1:PORT`: the adapter's `api_base`.
    public var apiBase: String { server.baseURL }

    private init(server: EmulatorServer, recorder: RequestRecorder, faults: FaultPlan, bot: User,
                 secrets: [String], state: TwitterEmulatorState) {
        self.server = server
        self.recorder = recorder
        self.faults = faults
        self.bot = bot
        consumerKey = secrets[0]
        consumerSecret = secrets[1]
        accessToken = secrets[2]
        accessTokenSecret = secrets[3]
        clientID = secrets[4]
        clientSecret = secrets[5]
        self.state = state
    }

    public static func start(botUsername: String = "ReplyTensorBot", botName: String = "ReplyTensor",
                             faultSeed: UInt64 = 42) async throws -> TwitterEmulator {
        let bot = User(id: "1700000000000000001", username: botUsername, name: botName)
        let secrets = ["emu-consumer-key-4f9a2c", "emu-consumer-secret-8d1e7b3a9c", "1700000000000000001-emuAccessToken7c2",
                       "emu-access-secret-5b8e1f4d2a", "emu-client-id-3c7d", "emu-client-secret-9e2a6b1f"]
        let signature = TwitterEmulatorSignature(consumerKey: secrets[0], consumerSecret: secrets[1], token: secrets[2],
                                                 tokenSecret: secrets[3])
        let state = TwitterEmulatorState(bot: bot, signature: signature, clientID: secrets[4], clientSecret: secrets[5])
        let recorder = RequestRecorder()
        let faults = FaultPlan(seed: faultSeed)
        let base = BaseURLBox()
        let routes = TwitterEmulatorRoutes(state: state, recorder: recorder, faults: faults, base: base)
        let server = try await EmulatorServer.start(routes.router(), name: "twitter")
        base.set(server.baseURL)
        return TwitterEmulator(server: server, recorder: recorder, faults: faults, bot: bot, secrets: secrets,
                               state: state)
    }

    public func stop() async { await server.stop() }

    // MARK: World

    @discardableResult
    public func addUser(username: String, name: String? = nil) async -> User {
        await state.addUser(username: username, name: name ?? username)
    }

    /// `user` posts `text` (mentions are found in the text), optionally replying to or quoting a post.
    @discardableResult
    public func post(_ text: String, from user: User, replyTo: String? = nil, quote: String? = nil) async -> Tweet {
        await state.create(text: text, authorID: user.id, replyTo: replyTo, quote: quote)
    }

    /// A mention of the bot by `user` whose object in mention pages is the JSON `make` writes from the allocated id:
    /// wrong types, missing fields (for malformed input tests; it must be a JSON object). Returns the id.
    @discardableResult
    public func postRaw(from user: User, _ make: @Sendable (String) -> String) async -> String {
        await state.createRaw(authorID: user.id, mentioning: bot.username, make)
    }

    public func tweet(_ id: String) async -> Tweet? { await state.tweet(id) }
    public var tweets: [Tweet] { get async { await state.all } }
    /// Every post of the bot, oldest first.
    public var botPosts: [Tweet] { get async { await state.all.filter { $0.authorID == bot.id } } }
    /// The bot's replies to `id`.
    public func replies(to id: String) async -> [Tweet] { await botPosts.filter { $0.repliedToID == id } }
    public var violations: Violations { get async { await state.violations } }
    /// What X's pay-per-use would bill so far: posts read, posts created (with a URL or not).
    public var usage: Usage { get async { await state.usage } }
    public var refreshCount: Int { get async { await state.refreshCount } }

    // MARK: Switches

    public func setRateLimit(_ endpoint: Endpoint, limit: Int, windowSeconds: Double) async {
        await state.setRateLimit(endpoint, limit: limit, windowSeconds: windowSeconds)
    }

    /// 24-hour post caps (`x-app-limit-24hour-*`, `x-user-limit-24hour-*`), with a shortenable window.
    public func setDailyCaps(app: Int?, user: Int?, windowSeconds: Double = 86_400) async {
        await state.setDailyCaps(app: app, user: user, windowSeconds: windowSeconds)
    }

    public func setAccessTokenLifetime(_ seconds: Double) async { await state.setAccessTokenLifetime(seconds) }
    /// Every access token handed out so far stops working (the next request answers 401).
    public func revokeAccessTokens() async { await state.revokeAccessTokens() }
    /// Whether the bot may reply to its own post (a thread continuation). Undocumented on X; on by default.
    public func setThreadContinuation(allowed: Bool) async { await state.setThreadContinuation(allowed) }
    public func setMentionsCap(_ cap: Int) async { await state.setMentionsCap(cap) }
    /// The next `times` reads (`users/me`, mentions, the user timeline) answer 403 `refusal`.
    public func refuseReads(_ refusal: ReadRefusal, times: Int = 1) async {
        await state.refuseReads(refusal, times: times)
    }
    /// A refresh token as the OAuth 2.0 authorisation flow hands it out (the operator's `refresh_token_env`).
    public func issueRefreshToken() async -> String { await state.issueRefreshToken() }

    /// Waits until `condition` holds or `timeout` passes.
    public func wait(timeout: Duration, _ condition: @Sendable (TwitterEmulator) async -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(25)) { await condition(self) }
    }
}
