/// How the X adapter talks to the API: the `[twitter]` section of the configuration.
public struct TwitterConfiguration: Sendable {
    public enum Auth: Sendable {
        /// OAuth 1.0a user context (API key + access token of the bot account).
        case oauth1(OAuth1Credentials)
        /// OAuth 2.0 user token with a rotating refresh token.
        case oauth2(OAuth2Credentials)
    }

    /// `api_base` without a trailing slash (`https://api.x.com`).
    public var apiBase: String
    public var auth: Auth
    /// `poll_interval_seconds`; 0 derives the interval from the `x-rate-limit-*` headers.
    public var pollIntervalSeconds: Double
    /// `daily_post_budget`: posts per UTC day (every tweet of a thread counts); 0 = no posting budget.
    public var dailyPostBudget: Int
    /// `thread_replies`: a long answer as a thread (each continuation replying to the previous part).
    public var threadReplies: Bool
    /// How many tweets a thread may have.
    public var maxThreadParts: Int
    /// `backfill_on_first_run`: answer the mentions already there on the very first run (up to one page).
    public var backfillOnFirstRun: Bool
    /// `reconcile_posting`: after a crash in `posting`, look for the bot's own reply before deciding.
    public var reconcilePosting: Bool
    /// Each poll re-reads this many seconds before the cursor (late-delivered mentions; dedup makes it free).
    public var overlapSeconds: Double
    /// The shortest derived interval between polls.
    public var minimumPollInterval: Double
    /// Names of the settings the secrets came from, for error messages.
    public var credentialSource: String

    public init(apiBase: String = "https://api.x.com", auth: Auth, pollIntervalSeconds: Double = 0,
                dailyPostBudget: Int = 50, threadReplies: Bool = false, maxThreadParts: Int = 4,
                backfillOnFirstRun: Bool = false, reconcilePosting: Bool = false, overlapSeconds: Double = 30,
                minimumPollInterval: Double = 1, credentialSource: String = "the [twitter] credentials") {
        var base = apiBase
        while base.hasSuffix("/") { base.removeLast() }
        self.apiBase = base
        self.auth = auth
        self.pollIntervalSeconds = max(0, pollIntervalSeconds)
        self.dailyPostBudget = max(0, dailyPostBudget)
        self.threadReplies = threadReplies
        self.maxThreadParts = max(1, maxThreadParts)
        self.backfillOnFirstRun = backfillOnFirstRun
        self.reconcilePosting = reconcilePosting
        self.overlapSeconds = max(0, overlapSeconds)
        self.minimumPollInterval = max(0.05, minimumPollInterval)
        self.credentialSource = credentialSource
    }

    /// Every secret of this configuration (to scrub).
    var secrets: [String] {
        switch auth {
        case .oauth1(let c): return [c.consumerKey, c.consumerSecret, c.token, c.tokenSecret]
        case .oauth2(let c): return [c.clientSecret, c.initialRefreshToken]
        }
    }
}
