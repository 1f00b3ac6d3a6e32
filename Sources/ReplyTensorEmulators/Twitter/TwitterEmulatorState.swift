import Foundation

/// The emulated X: accounts, posts, rate-limit windows, tokens. One actor, so every request sees one consistent
/// world.
actor TwitterEmulatorState {
    typealias User = TwitterEmulator.User
    typealias Tweet = TwitterEmulator.Tweet

    let bot: User
    let signature: TwitterEmulatorSignature
    let clientID: String
    let clientSecret: String
    private(set) var users: [String: User] = [:]
    private(set) var tweets: [String: Tweet] = [:]
    /// Ids in creation order (ascending).
    private(set) var order: [String] = []
    private var ids = SnowflakeGenerator()
    private var nextUserID: UInt64 = 1_000_000_001
    private var windows: [TwitterEmulator.Endpoint: TwitterEmulator.Window] = [:]
    private var appCap: TwitterEmulator.Window?
    private var userCap: TwitterEmulator.Window?
    private var nonces: Set<String> = []
    private var accessTokens: [String: Date] = [:]
    /// Refresh token → still usable.
    private var refreshTokens: [String: Bool] = [:]
    private var accessLifetime: Double = 7200
    private var tokenCounter = 0
    private(set) var refreshCount = 0
    private(set) var violations = TwitterEmulator.Violations()
    private(set) var usage = TwitterEmulator.Usage()
    /// 403s the next reads answer, first first.
    private var readRefusals: [TwitterEmulator.ReadRefusal] = []
    var allowThreadContinuation = true
    var mentionsCap = 800
    /// Post ids whose object in pages is this JSON (malformed input).
    var rawObjects: [String: String] = [:]

    init(bot: User, signature: TwitterEmulatorSignature, clientID: String, clientSecret: String) {
        self.bot = bot
        self.signature = signature
        self.clientID = clientID
        self.clientSecret = clientSecret
        users[bot.id] = bot
        for endpoint in TwitterEmulator.Endpoint.allCases {
            // X's per-user 15-minute limits on the Basic tier (approximately).
            let limit: Int
            switch endpoint {
            case .usersMe: limit = 75
            case .mentions: limit = 10
            case .userTweets: limit = 5
            case .tweetLookup: limit = 15
            case .createTweet: limit = 100
            }
            windows[endpoint] = .init(limit: limit, seconds: 900)
        }
    }

    // MARK: Setup

    func addUser(username: String, name: String) -> User {
        nextUserID += 1
        let user = User(id: String(nextUserID), username: username, name: name)
        users[user.id] = user
        return user
    }

    func setRateLimit(_ endpoint: TwitterEmulator.Endpoint, limit: Int, windowSeconds: Double) {
        windows[endpoint] = .init(limit: limit, seconds: windowSeconds)
    }

    func setDailyCaps(app: Int?, user: Int?, windowSeconds: Double) {
        appCap = app.map { .init(limit: $0, seconds: windowSeconds) }
        userCap = user.map { .init(limit: $0, seconds: windowSeconds) }
    }

    func setAccessTokenLifetime(_ seconds: Double) { accessLifetime = seconds }
    func revokeAccessTokens() { accessTokens.removeAll() }
    func setThreadContinuation(_ allowed: Bool) { allowThreadContinuation = allowed }
    func setMentionsCap(_ cap: Int) { mentionsCap = cap }
    func refuseReads(_ refusal: TwitterEmulator.ReadRefusal, times: Int) {
        readRefusals += Array(repeating: refusal, count: max(0, times))
    }

    /// The 403 the next read answers, if one is queued.
    func takeReadRefusal() -> TwitterEmulator.ReadRefusal? { readRefusals.isEmpty ? nil : readRefusals.removeFirst() }

    /// Pay-per-use bills "per resource returned in the response" (docs.x.com/x-api/getting-started/pricing).
    func billRead(posts: Int) { usage.postsRead += posts }

    /// A refresh token as the authorisation flow would hand it out.
    func issueRefreshToken() -> String {
        tokenCounter += 1
        let token = "rt-\(tokenCounter)-\(UUID().uuidString)"
        refreshTokens[token] = true
        return token
    }

    // MARK: Posts

    @discardableResult
    func create(text: String, authorID: String, replyTo: String?, quote: String?, at date: Date = Date()) -> Tweet {
        let id = ids.next(at: date)
        let parent = replyTo.flatMap { tweets[$0] }
        let tweet = Tweet(id: id, text: text, authorID: authorID, conversationID: parent?.conversationID ?? id,
                          inReplyToUserID: parent?.authorID, repliedToID: parent?.id, quotedID: quote,
                          createdAt: date, mentions: Self.mentions(in: text))
        tweets[id] = tweet
        order.append(id)
        return tweet
    }

    static func mentions(in text: String) -> [(username: String, start: Int, end: Int)] {
        let scalars = Array(text.unicodeScalars)
        var result: [(String, Int, Int)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "@", index == 0 || !Self.isNameChar(scalars[index - 1]) {
                var end = index + 1
                while end < scalars.count, Self.isNameChar(scalars[end]) { end += 1 }
                if end > index + 1 {
                    result.append((String(String.UnicodeScalarView(scalars[(index + 1)..<end])).lowercased(), index, end))
                }
                index = end
            } else {
                index += 1
            }
        }
        return result
    }

    static func isNameChar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }

    func createRaw(authorID: String, mentioning handle: String, _ make: @Sendable (String) -> String) -> String {
        let tweet = create(text: "@\(handle) (raw)", authorID: authorID, replyTo: nil, quote: nil)
        rawObjects[tweet.id] = make(tweet.id)
        return tweet.id
    }

    func tweet(_ id: String) -> Tweet? { tweets[id] }
    var all: [Tweet] { order.compactMap { tweets[$0] } }

    /// Mentions of the bot, newest first, the latest `mentionsCap` only.
    func mentionTimeline() -> [Tweet] {
        let handle = bot.username.lowercased()
        return Array(order.reversed().compactMap { tweets[$0] }.filter { $0.mentions(handle) }.prefix(mentionsCap))
    }

    func timeline(of userID: String) -> [Tweet] {
        order.reversed().compactMap { tweets[$0] }.filter { $0.authorID == userID }
    }

    // MARK: Rate limits

    struct Headers: Sendable {
        var fields: [(String, String)] = []
    }

    /// Takes one request from `endpoint`'s window (and the 24-hour caps for posts); the headers to send back and
    /// whether the request may proceed.
    func take(_ endpoint: TwitterEmulator.Endpoint, now: Date = Date()) -> (allowed: Bool, headers: [(String, String)]) {
        var window = windows[endpoint]!
        var allowed = window.take(now: now)
        windows[endpoint] = window
        var headers = [("x-rate-limit-limit", String(window.limit)), ("x-rate-limit-remaining", String(window.remaining)),
                       ("x-rate-limit-reset", String(window.resetAt))]
        if endpoint == .createTweet && allowed {
            for (prefix, cap) in [("x-app-limit-24hour", appCap), ("x-user-limit-24hour", userCap)] {
                guard var cap else { continue }
                let ok = cap.take(now: now)
                if prefix == "x-app-limit-24hour" { appCap = cap } else { userCap = cap }
                headers += [("\(prefix)-limit", String(cap.limit)), ("\(prefix)-remaining", String(cap.remaining)),
                            ("\(prefix)-reset", String(cap.resetAt))]
                if !ok { allowed = false }
            }
        }
        if !allowed {
            violations.requestsWhileExhausted += 1
            violations.exhaustedByEndpoint[endpoint.rawValue, default: 0] += 1
        }
        return (allowed, headers)
    }

    // MARK: Auth

    enum Credential { case user, none }

    /// Checks the `Authorization` header: an OAuth 1.0a signature of the bot's tokens or a live Bearer token.
    func authorize(method: String, url: String, rawQuery: String, formBody: String?, header: String?,
                   now: Date = Date()) -> String? {
        guard let header else {
            violations.unauthorized += 1
            return "no Authorization header"
        }
        if header.hasPrefix("Bearer ") {
            let token = String(header.dropFirst(7))
            guard let expires = accessTokens[token], expires > now else {
                violations.unauthorized += 1
                return "expired or unknown access token"
            }
            return nil
        }
        if let problem = signature.problem(method: method, url: url, rawQuery: rawQuery, formBody: formBody,
                                           header: header) {
            violations.unauthorized += 1
            return problem
        }
        let oauth = TwitterEmulatorSignature.header(header) ?? [:]
        let nonce = (oauth["oauth_nonce"] ?? "") + (oauth["oauth_timestamp"] ?? "")
        guard let timestamp = oauth["oauth_timestamp"].flatMap(Double.init), abs(timestamp - now.timeIntervalSince1970) < 300
        else {
            violations.unauthorized += 1
            return "timestamp out of range"
        }
        guard nonces.insert(nonce).inserted else {
            violations.unauthorized += 1
            return "nonce already used"
        }
        return nil
    }

    enum TokenAnswer {
        case granted(access: String, refresh: String, expiresIn: Int)
        case refused(status: Int, error: String, description: String)
    }

    /// `POST /2/oauth2/token` with `grant_type=refresh_token`: rotates the refresh token.
    func refresh(form: [String: String], basic: String?, now: Date = Date()) -> TokenAnswer {
        if let basic {
            guard basic == "\(clientID):\(clientSecret)" else {
                return .refused(status: 401, error: "unauthorized_client", description: "Missing valid authorization header")
            }
        } else if form["client_id"] != clientID {
            return .refused(status: 400, error: "invalid_request", description: "Missing required parameter [client_id].")
        }
        guard form["grant_type"] == "refresh_token", let token = form["refresh_token"] else {
            return .refused(status: 400, error: "invalid_request", description: "Missing required parameter [refresh_token].")
        }
        switch refreshTokens[token] {
        case true?:
            refreshTokens[token] = false
        case false?:
            violations.refreshTokenReuse += 1
            return .refused(status: 400, error: "invalid_request", description: "Value passed for the token was invalid.")
        case nil:
            return .refused(status: 400, error: "invalid_request", description: "Value passed for the token was invalid.")
        }
        refreshCount += 1
        tokenCounter += 1
        let access = "at-\(tokenCounter)-\(UUID().uuidString)"
        accessTokens[access] = now.addingTimeInterval(accessLifetime)
        let next = issueRefreshToken()
        return .granted(access: access, refresh: next, expiresIn: Int(accessLifetime))
    }

    // MARK: Posting rules

    enum PostAnswer {
        case created(Tweet)
        case refused(status: Int, title: String, detail: String)
    }

    static let notSummoned = "Reply to this conversation is not allowed because you have not been mentioned or "
        + "otherwise engaged by the author of the post you are replying to."
    static let duplicate = "You are not allowed to create a Tweet with duplicate content."
    /// "Self-serve customers: Posts created via the API are limited to a maximum of 1 cashtag per post."
    /// (docs.x.com/x-api/posts/manage-tweets/introduction); X's answer to a second one, as clients quote it.
    static let tooManyCashtags = "Posts are limited to a maximum of one cashtag"

    func post(text: String, replyTo: String?) -> PostAnswer {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .refused(status: 400, title: "Invalid Request", detail: "The `text` field is required.")
        }
        if TwitterEmulatorText.measure(text) > 280 {
            return .refused(status: 400, title: "Invalid Request", detail: "Text is too long (more than 280 weighted characters).")
        }
        if TwitterEmulatorText.cashtags(in: text) > 1 {
            violations.tooManyCashtags += 1
            return .refused(status: 403, title: "Forbidden", detail: Self.tooManyCashtags)
        }
        if let replyTo {
            guard let parent = tweets[replyTo] else {
                return .refused(status: 400, title: "Invalid Request",
                                detail: "The tweet you are replying to does not exist or has been deleted.")
            }
            let summoned = parent.mentions(bot.username) || parent.quotedID.flatMap { tweets[$0]?.authorID } == bot.id
            let ownThread = parent.authorID == bot.id && allowThreadContinuation
            if !summoned && !ownThread {
                violations.replyNotAllowed += 1
                return .refused(status: 403, title: "Forbidden", detail: Self.notSummoned)
            }
        }
        if tweets.values.contains(where: { $0.authorID == bot.id && $0.text == text }) {
            violations.duplicates += 1
            return .refused(status: 403, title: "Forbidden", detail: Self.duplicate)
        }
        // "Content: Create" or, with a URL, "Content: Create (with URL)" (docs.x.com/x-api/getting-started/pricing).
        usage.posts += 1
        if !TwitterEmulatorText.urls(in: text).isEmpty { usage.postsWithURL += 1 }
        return .created(create(text: text, authorID: bot.id, replyTo: replyTo, quote: nil))
    }
}
