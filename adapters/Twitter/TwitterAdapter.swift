import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The X API v2 adapter: mentions polling (`GET /2/users/{id}/mentions`), replies (`POST /2/tweets`), OAuth 1.0a
/// or OAuth 2.0, rate-limit windows and a daily post budget kept in the store.
///
/// Ids: `InboundMessage.id` is the tweet id (unique on X); the chat is the conversation (`conversation_id`).
/// Cursor: one scope, `since_id`, advanced to the newest mention id only when every page of a poll was read.
/// State (adapter state store, so restarts honour it): `rate.<endpoint>` windows, `cap.app24` / `cap.user24`,
/// `poll.next_at`, `post_budget.day` / `post_budget.used`.
public actor TwitterAdapter: PlatformAdapter {
    public nonisolated let platform: Platform = .twitter
    public nonisolated let rules: PlatformRules

    public static let sinceCursor = "since_id"
    static let mentionsWindow = "rate.mentions"
    static let postWindow = "rate.tweets.post"
    static let meWindow = "rate.users.me"
    static let timelineWindow = "rate.users.tweets"
    static let appCap = "cap.app24"
    static let userCap = "cap.user24"
    static let nextPollKey = "poll.next_at"
    public static let budgetDayKey = "post_budget.day"
    public static let budgetUsedKey = "post_budget.used"

    static let tweetFields = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets,entities,"
        + "reply_settings,note_tweet"
    static let expansions = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
    static let userFields = "username,name"

    private let configuration: TwitterConfiguration
    private let environment: AdapterEnvironment
    private let client: TwitterClient
    private let logger: Logger
    private var me: XUser?
    private var windows: [String: RateWindow] = [:]
    private var windowsLoaded = false
    /// The stored form of each window as last written.
    private var storedWindows: [String: String] = [:]
    /// The id of the last part posted per mention (a thread continues from it).
    private var lastPart: [String: String] = [:]
    /// Mentions whose post got a 5xx: a later "duplicate content" means the first post did go out.
    private var uncertainPosts: Set<String> = []
    /// One post at a time: the budget and the post windows are checked and counted without interleaving.
    private var postInFlight = false
    private var postWaiters: [CheckedContinuation<Void, Never>] = []

    public init(configuration: TwitterConfiguration, environment: AdapterEnvironment) {
        self.configuration = configuration
        self.environment = environment
        var logger = environment.logger
        logger[metadataKey: "platform"] = "twitter"
        self.logger = logger
        self.client = TwitterClient(configuration: configuration, environment: environment, logger: logger)
        self.rules = PlatformRules(
            length: WeightedLength.rule, overflow: configuration.threadReplies ? .split : .truncate,
            maxParts: configuration.threadReplies ? configuration.maxThreadParts : 1, typingInterval: nil,
            sendRules: [], idempotentPost: false)
    }

    /// OAuth 2.0 refreshes made by this adapter (0 with OAuth 1.0a).
    public func refreshCount() async -> Int { await client.session?.refreshCount ?? 0 }

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
        try await loadWindows()
        if let wait = reserve([Self.meWindow]) {
            throw BotError(.rateLimited, "users/me: rate limit window exhausted", platform: .twitter,
                           retryAfter: wait, scope: "global")
        }
        let response = try await client.send("GET", "/2/users/me", query: [("user.fields", Self.userFields)])
        try await record(response.headers, window: Self.meWindow)
        try check(response, what: "users/me")
        guard let envelope = try? JSONDecoder().decode(XEnvelope<XUser>.self, from: response.body),
              let user = envelope.data, let username = user.username else {
            throw BotError(.decoding, "users/me: unreadable answer", platform: .twitter, httpStatus: response.status)
        }
        me = user
        return Verification(id: user.id, username: username, name: user.name, window: windows[Self.meWindow],
                            appCap: windows[Self.appCap], userCap: windows[Self.userCap])
    }

    public func identity() async throws -> BotIdentity {
        let verified = try await verify()
        return BotIdentity(platform: .twitter, id: verified.id, handle: verified.username, displayName: verified.name)
    }

    private func knownMe() async throws -> XUser {
        if let me { return me }
        _ = try await verify()
        return me!
    }

    // MARK: Polling

    public func poll(cursors: [String: String]) async throws -> PollPage {
        let me = try await knownMe()
        try await loadWindows()
        let now = environment.now()
        if let next = try await environment.state.value(Self.nextPollKey, for: .twitter).flatMap(Double.init),
           next > now.timeIntervalSince1970 + 0.01 {
            return PollPage(nextPollDelay: .milliseconds(Int64((next - now.timeIntervalSince1970) * 1000) + 1))
        }
        if let wait = reserve([Self.mentionsWindow]) {
            return PollPage(nextPollDelay: wait)
        }
        var updates: [String: String] = [:]
        var cursor = cursors[Self.sinceCursor]
        let firstRun = cursor == nil
        if firstRun && !configuration.backfillOnFirstRun {
            // Start from now: no backfill of the 800 latest mentions.
            cursor = TweetID.snowflake(at: now)
            updates[Self.sinceCursor] = cursor
        }
        // The overlap re-reads a little before a real cursor; a first-run "now" cursor is taken as it is.
        let sinceID = firstRun ? cursor : cursor.map { TweetID.rewind($0, seconds: configuration.overlapSeconds) }
        var tweets: [XTweet] = []
        var users: [String: XUser] = [:]
        var included: [String: XTweet] = [:]
        var newest: String?
        var token: String?
        var complete = false
        var rejected: [RejectedInput] = []
        pages: while true {
            if token != nil, reserve([Self.mentionsWindow]) != nil { break }
            var query: [(String, String)] = []
            if let sinceID { query.append(("since_id", sinceID)) }
            query += [("max_results", "100"), ("tweet.fields", Self.tweetFields), ("expansions", Self.expansions),
                      ("user.fields", Self.userFields)]
            if let token { query.append(("pagination_token", token)) }
            let response = try await client.send("GET", "/2/users/\(me.id)/mentions", query: query)
            try await record(response.headers, window: Self.mentionsWindow)
            if response.status == 429 {
                try await exhaust(Self.mentionsWindow)
                break pages
            }
            try check(response, what: "mentions")
            var body = response.body
            if let repaired = body.repairedUTF8 {
                logger.warning("mentions answer is not valid UTF-8; bad bytes replaced with U+FFFD")
                rejected.append(RejectedInput(reason: "invalid UTF-8", detail: "mentions answer repaired"))
                body = repaired
            }
            let envelope: XEnvelope<[LenientElement<XTweet>]>
            do {
                envelope = try JSONDecoder().decode(XEnvelope<[LenientElement<XTweet>]>.self, from: body)
            } catch {
                logger.warning("mentions answer is not readable; cursor kept", metadata: ["error": "\(error)"])
                rejected.append(RejectedInput(reason: "malformed mentions answer", detail: "\(error)"))
                break pages
            }
            for user in envelope.includes?.users ?? [] { users[user.id] = user }
            for tweet in envelope.includes?.tweets ?? [] { included[tweet.id] = tweet }
            newest = TweetID.newer(newest, envelope.meta?.newest_id)
            for slot in envelope.data ?? [] {
                switch slot {
                case .value(let tweet):
                    tweets.append(tweet)
                    newest = TweetID.newer(newest, tweet.id)
                case .invalid(let id, let error):
                    let reason = "\(error)"
                    logger.warning("malformed post skipped", metadata: ["tweet.id": "\(id ?? "?")", "error": "\(reason)"])
                    rejected.append(RejectedInput(reason: "malformed post", detail: "\(id ?? "?"): \(reason)"))
                }
            }
            token = envelope.meta?.next_token
            if token == nil || (firstRun && configuration.backfillOnFirstRun) {
                complete = true
                break
            }
        }
        if complete, let advanced = TweetID.newer(cursor, newest), advanced != cursors[Self.sinceCursor] {
            updates[Self.sinceCursor] = advanced
        }
        var seen: Set<String> = []
        let ordered = tweets.filter { seen.insert($0.id).inserted }.sorted { TweetID.less($0.id, $1.id) }
        var messages: [InboundMessage] = []
        for tweet in ordered {
            if let message = inbound(tweet, me: me, users: users, included: included) {
                messages.append(message)
            } else {
                logger.debug("not a mention of the bot; ignored", metadata: ["tweet.id": "\(tweet.id)"])
            }
        }
        let delay = pollInterval(at: environment.now())
        try await environment.state.setValue(String(environment.now().timeIntervalSince1970 + delay.seconds),
                                             for: Self.nextPollKey, platform: .twitter, at: environment.now())
        return PollPage(messages: messages, cursorUpdates: updates, rejected: rejected, nextPollDelay: delay)
    }

    /// `poll_interval_seconds`, or the remaining requests of the mentions window spread evenly until its reset.
    func pollInterval(at now: Date) -> Duration {
        var seconds = configuration.pollIntervalSeconds
        if seconds == 0 {
            seconds = windows[Self.mentionsWindow]?.evenInterval(at: now) ?? configuration.minimumPollInterval
        }
        // The 24-hour caps limit posts, not reads: only the mentions window holds polling back.
        seconds = max(seconds, windows[Self.mentionsWindow]?.wait(at: now) ?? 0)
        seconds = max(seconds, configuration.minimumPollInterval)
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The inbound message for a tweet that summons the bot (mentions it or quotes it), else nil.
    private func inbound(_ tweet: XTweet, me: XUser, users: [String: XUser], included: [String: XTweet])
        -> InboundMessage? {
        let handle = (me.username ?? "").lowercased()
        let text = tweet.fullText
        let mentioned = tweet.entities?.mentions?.contains { $0.username.lowercased() == handle || $0.id == me.id }
            ?? text.lowercased().contains("@" + handle)
        let quotesBot = tweet.quotedID.flatMap { included[$0]?.author_id } == me.id
        guard mentioned || quotesBot else { return nil }
        let authorID = tweet.author_id ?? "unknown"
        let authorUser = users[authorID]
        let author = Author(id: authorID, handle: authorUser?.username, displayName: authorUser?.name,
                            isBot: authorID == me.id)
        var replyTo: MessageRef?
        var addressedAs = AddressKind.mention
        if let parentID = tweet.repliedToID {
            let parent = included[parentID]
            let parentAuthor = parent?.author_id.map { id in
                Author(id: id, handle: users[id]?.username, displayName: users[id]?.name, isBot: id == me.id)
            }
            replyTo = MessageRef(id: parentID, author: parentAuthor, text: parent?.fullText)
            if parent?.author_id == me.id || tweet.in_reply_to_user_id == me.id { addressedAs = .reply }
        }
        let conversation = tweet.conversation_id ?? tweet.id
        var extras = ["summoned": "true", "conversation_id": conversation]
        if let username = authorUser?.username { extras["author_username"] = username }
        return InboundMessage(
            platform: .twitter, id: tweet.id, platformMessageID: tweet.id,
            chat: ChatRef(id: conversation, kind: .timeline, threadID: conversation),
            author: author, text: Self.promptText(text, botHandle: handle), addressedAs: addressedAs,
            replyTo: replyTo, createdAt: Self.date(tweet.created_at) ?? Self.snowflakeDate(tweet.id) ?? environment.now(),
            extras: extras)
    }

    /// The tweet without the leading @mentions of a reply and without the bot's handle.
    static func promptText(_ text: String, botHandle: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false)[...]
        while let first = words.first, first.hasPrefix("@") || first.isEmpty { words = words.dropFirst() }
        var body = words.joined(separator: " ")
        if !botHandle.isEmpty {
            body = body.replacingOccurrences(of: "@" + botHandle, with: "", options: .caseInsensitive)
        }
        let trimmed = body.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return trimmed.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func snowflakeDate(_ id: String) -> Date? {
        guard let value = UInt64(id) else { return nil }
        return Date(timeIntervalSince1970: Double((value >> 22) + TweetID.epochMilliseconds) / 1000)
    }

    // MARK: Context

    /// The replied-to tweet from the expansions (earlier turns come from the engine's conversation log).
    public func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage] {
        guard depth > 0, let parent = message.replyTo, let text = parent.text else { return [] }
        return [InboundMessage(platform: .twitter, id: parent.id, platformMessageID: parent.id, chat: message.chat,
                               author: parent.author ?? Author(id: "unknown"), text: text, addressedAs: .mention,
                               createdAt: Self.snowflakeDate(parent.id) ?? message.createdAt)]
    }

    // MARK: Posting

    /// Posts one reply tweet. The first part replies to the mention (only mentions: X forbids replies to posts
    /// whose author did not summon the bot); later parts of a thread reply to the previous part.
    public func post(_ text: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String)
        async throws -> String {
        guard message.extras["summoned"] == "true" else {
            throw BotError(.forbidden, "refusing to reply to tweet \(message.platformMessageID): it does not mention "
                               + "the bot", platform: .twitter, isPermanent: true)
        }
        await acquirePost()
        defer { releasePost() }
        let target = part == 0 ? message.platformMessageID : (lastPart[message.id] ?? message.platformMessageID)
        try await loadWindows()
        if let wait = reserve([Self.postWindow, Self.appCap, Self.userCap]) {
            throw BotError(.rateLimited, "POST /2/tweets: rate limit window exhausted", platform: .twitter,
                           retryAfter: wait, scope: "global")
        }
        try await reserveBudget()
        let body = XCreateTweet(text: text, reply: .init(in_reply_to_tweet_id: target))
        let response: HTTPResponse
        do {
            response = try await client.send("POST", "/2/tweets", json: try JSONEncoder().encode(body),
                                             delivery: .unknown)
        } catch let error as BotError {
            if error.delivery == .notDelivered { try await refundBudget() }
            throw error
        }
        try await record(response.headers, window: Self.postWindow)
        let key = "\(message.id):\(part)"
        if response.isSuccess {
            guard let created = try? JSONDecoder().decode(XEnvelope<XCreatedTweet>.self, from: response.body).data
            else {
                throw BotError(.decoding, "POST /2/tweets: created, but the answer is unreadable", platform: .twitter,
                               httpStatus: response.status, delivery: .unknown)
            }
            lastPart[message.id] = created.id
            uncertainPosts.remove(key)
            return created.id
        }
        let problem = client.problem(in: response)
        switch response.status {
        case 429:
            try await refundBudget()
            try await exhaust(Self.postWindow)
            let wait = waitFor([Self.postWindow, Self.appCap, Self.userCap]) ?? .seconds(60)
            throw BotError(.rateLimited, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: 429,
                           retryAfter: wait, scope: "global")
        case 401:
            try await refundBudget()
            throw unauthorized("POST /2/tweets", status: 401)
        case 403:
            try await refundBudget()
            let duplicate = problem.localizedCaseInsensitiveContains("duplicate")
            let earlierUncertain = uncertainPosts.contains(key)
            throw BotError(.forbidden, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: 403,
                           isPermanent: true, delivery: duplicate && earlierUncertain ? .unknown : .notDelivered)
        case 400..<500:
            try await refundBudget()
            throw BotError(.platform, "POST /2/tweets: \(problem)", platform: .twitter,
                           httpStatus: response.status, isPermanent: true)
        default:
            // A 5xx may or may not have created the tweet: the budget keeps it counted; a resend that X calls a
            // duplicate then means the first one went out.
            uncertainPosts.insert(key)
            throw BotError(.platform, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: response.status)
        }
    }

    /// After a crash in `posting`: with `reconcile_posting`, the bot's own reply chain below the mention from
    /// its timeline (`GET /2/users/{id}/tweets` since the mention); otherwise nil (the mention becomes `unknown`).
    public func reconcile(_ message: InboundMessage) async throws -> [String]? {
        guard configuration.reconcilePosting else { return nil }
        let me = try await knownMe()
        try await loadWindows()
        if reserve([Self.timelineWindow]) != nil { return nil }
        let response = try await client.send("GET", "/2/users/\(me.id)/tweets", query: [
            ("since_id", message.platformMessageID), ("max_results", "100"),
            ("tweet.fields", "referenced_tweets,conversation_id,author_id"),
        ])
        try await record(response.headers, window: Self.timelineWindow)
        try check(response, what: "users/tweets")
        guard let envelope = try? JSONDecoder().decode(XEnvelope<[XTweet]>.self, from: response.body) else {
            return nil
        }
        let own = (envelope.data ?? []).sorted { TweetID.less($0.id, $1.id) }
        var chain: [String] = []
        var parent = message.platformMessageID
        while let next = own.first(where: { $0.repliedToID == parent }) {
            chain.append(next.id)
            parent = next.id
        }
        if let last = chain.last { lastPart[message.id] = last }
        return chain
    }

    // MARK: Budget

    private static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Posts counted today (UTC).
    public func postsToday() async throws -> Int {
        let today = Self.day(environment.now())
        guard try await environment.state.value(Self.budgetDayKey, for: .twitter) == today else { return 0 }
        return try await environment.state.value(Self.budgetUsedKey, for: .twitter).flatMap { Int($0) } ?? 0
    }

    /// Counts one post durably before it leaves; a permanent failure when today's budget is spent.
    private func reserveBudget() async throws {
        guard configuration.dailyPostBudget > 0 else { return }
        let used = try await postsToday()
        guard used < configuration.dailyPostBudget else {
            throw BotError(.platform, "daily_post_budget of \(configuration.dailyPostBudget) posts reached for today "
                               + "(UTC)", platform: .twitter, isPermanent: true)
        }
        try await setBudget(used + 1)
    }

    private func refundBudget() async throws {
        guard configuration.dailyPostBudget > 0 else { return }
        let used = try await postsToday()
        if used > 0 { try await setBudget(used - 1) }
    }

    private func setBudget(_ used: Int) async throws {
        let date = environment.now()
        try await environment.state.setValue(Self.day(date), for: Self.budgetDayKey, platform: .twitter, at: date)
        try await environment.state.setValue(String(used), for: Self.budgetUsedKey, platform: .twitter, at: date)
    }

    // MARK: Rate limits

    private func loadWindows() async throws {
        guard !windowsLoaded else { return }
        for key in [Self.mentionsWindow, Self.postWindow, Self.meWindow, Self.timelineWindow, Self.appCap,
                    Self.userCap] {
            if let stored = try await environment.state.value(key, for: .twitter), let window = RateWindow(stored: stored) {
                windows[key] = window
                storedWindows[key] = stored
            }
        }
        windowsLoaded = true
    }

    /// Remembers (and persists) the windows the headers of an answer describe.
    private func record(_ headers: HTTPHeaders, window key: String) async throws {
        var changed: [(String, RateWindow)] = []
        if let window = RateWindow(headers: headers, prefix: "x-rate-limit") { changed.append((key, window)) }
        if let window = RateWindow(headers: headers, prefix: "x-app-limit-24hour") { changed.append((Self.appCap, window)) }
        if let window = RateWindow(headers: headers, prefix: "x-user-limit-24hour") {
            changed.append((Self.userCap, window))
        }
        for (name, window) in changed {
            windows[name] = window
            // Compared with what is stored, not with memory (a reservation may already have counted this request).
            guard storedWindows[name] != window.stored else { continue }
            storedWindows[name] = window.stored
            try await environment.state.setValue(window.stored, for: name, platform: .twitter, at: environment.now())
            if window.remaining == 0 {
                logger.notice("rate-limit window exhausted", metadata: [
                    "window": "\(name)", "reset": "\(window.reset.formatted(.iso8601))"])
            }
        }
    }

    /// A 429 without usable headers: wait a full 15-minute window.
    private func exhaust(_ key: String) async throws {
        let now = environment.now()
        if let window = windows[key], window.remaining == 0, window.reset > now { return }
        let window = RateWindow(limit: windows[key]?.limit ?? 1, remaining: 0, reset: now.addingTimeInterval(900))
        windows[key] = window
        storedWindows[key] = window.stored
        try await environment.state.setValue(window.stored, for: key, platform: .twitter, at: now)
    }

    /// Like `waitFor`, and when the request may go, counts it in the windows at once (the answer's headers then
    /// replace the count), so nothing that runs meanwhile can spend the same request.
    private func reserve(_ keys: [String]) -> Duration? {
        if let wait = waitFor(keys) { return wait }
        let now = environment.now()
        for key in keys {
            if var window = windows[key], window.reset > now, window.remaining > 0 {
                window.remaining -= 1
                windows[key] = window
            }
        }
        return nil
    }

    private func acquirePost() async {
        guard postInFlight else {
            postInFlight = true
            return
        }
        await withCheckedContinuation { postWaiters.append($0) }
    }

    private func releasePost() {
        if postWaiters.isEmpty {
            postInFlight = false
        } else {
            postWaiters.removeFirst().resume()
        }
    }

    /// How long to wait before a request limited by `keys` may go; nil when it may go now.
    private func waitFor(_ keys: [String]) -> Duration? {
        let now = environment.now()
        let seconds = keys.compactMap { windows[$0]?.wait(at: now) }.max() ?? 0
        return seconds > 0 ? .milliseconds(Int64(seconds * 1000) + 1) : nil
    }

    // MARK: Errors

    private func unauthorized(_ what: String, status: Int) -> BotError {
        let hint: String
        switch configuration.auth {
        case .oauth1: hint = "check the API key and access token (\(configuration.credentialSource)) and that the app has read and write permission"
        case .oauth2: hint = "the OAuth 2.0 token was refused after a refresh; authorise again (\(configuration.credentialSource))"
        }
        return BotError(.unauthorized, "X rejected the credentials on \(what) (HTTP \(status)): \(hint)",
                        platform: .twitter, httpStatus: status)
    }

    /// Throws the `BotError` for an unsuccessful answer of a read.
    private func check(_ response: HTTPResponse, what: String) throws {
        guard !response.isSuccess else { return }
        let problem = client.problem(in: response)
        switch response.status {
        case 401: throw unauthorized(what, status: 401)
        case 403: throw BotError(.unauthorized, "\(what): forbidden (HTTP 403): \(problem). Does the app's access "
                                     + "level include this endpoint?", platform: .twitter, httpStatus: 403)
        case 429:
            throw BotError(.rateLimited, "\(what): \(problem)", platform: .twitter, httpStatus: 429,
                           retryAfter: waitFor([Self.mentionsWindow]) ?? .seconds(60), scope: "global")
        default:
            throw BotError(.platform, "\(what): \(problem)", platform: .twitter, httpStatus: response.status)
        }
    }
}
