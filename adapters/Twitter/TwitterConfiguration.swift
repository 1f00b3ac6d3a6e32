import ReplyTensorCore

/// How the X adapter talks to the API: the `[twitter]` section of the configuration (`[x]` is accepted as another
/// name for it). `read(from:)` is the one place a key of the section is named, defaulted and validated; the defaults
/// are the initializer's.
public struct TwitterConfiguration: PlatformSettings {
    public enum Auth: Sendable {
        /// OAuth 1.0a user context (API key + access token of the bot account).
        case oauth1(OAuth1Credentials)
        /// OAuth 2.0 user token with a rotating refresh token.
        case oauth2(OAuth2Credentials)

        /// The value of `auth` that selects it: `oauth1` or `oauth2`.
        public var name: String {
            switch self {
            case .oauth1: return "oauth1"
            case .oauth2: return "oauth2"
            }
        }
    }

    /// `enabled`: whether the bot answers on X.
    public var enabled = false
    /// `api_base` without a trailing slash (`https://api.x.com`).
    public var apiBase: String
    /// `auth` (`oauth1` | `oauth2`) with the credentials it needs.
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
    /// `daily_budget_usd` with `price_post_usd`, `price_post_with_url_usd` and `price_read_usd`.
    public var spending = TwitterSpending()
    /// Each poll re-reads this many seconds before the cursor (late-delivered mentions; dedup makes it free).
    public var overlapSeconds: Double
    /// The shortest derived interval between polls.
    public var minimumPollInterval: Double
    /// `allow_mentions`: keep `@handles` other than the author answered. Off by default: a model-written handle
    /// notifies someone who never asked, which X's automation rules forbid for programmatic posts.
    public var allowMentions = false
    /// `allow_links`: keep links clickable. Off by default: links are defused (`example[.]com`, `hxxps://`).
    public var allowLinks = false
    /// Names of the settings the secrets came from, for error messages.
    public var credentialSource: String
    /// Secrets of the other `auth` that were read all the same (their variables were set): redacted too.
    var unusedSecrets: [String] = []

    public init(apiBase: String = "https://api.x.com", auth: Auth, pollIntervalSeconds: Double = 0,
                dailyPostBudget: Int = 50, threadReplies: Bool = false, maxThreadParts: Int = 4,
                backfillOnFirstRun: Bool = false, reconcilePosting: Bool = false, overlapSeconds: Double = 30,
                minimumPollInterval: Double = 1, credentialSource: String = "the [twitter] credentials") {
        self.apiBase = apiBase.withoutTrailingSlashes
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

    public static let platform = Platform.twitter
    public static let sectionNames = ["twitter", "x"]

    public static func read(from settings: some SettingsReader) -> TwitterConfiguration {
        var configuration = TwitterConfiguration(auth: .oauth1(OAuth1Credentials(consumerKey: "", consumerSecret: "",
                                                                                 token: "", tokenSecret: "")))
        configuration.enabled = settings.bool("enabled", default: configuration.enabled)
        configuration.apiBase = settings.string("api_base", default: configuration.apiBase)
        configuration.readAuth(from: settings)
        configuration.pollIntervalSeconds = settings.double("poll_interval_seconds",
                                                            default: configuration.pollIntervalSeconds)
        configuration.dailyPostBudget = settings.int("daily_post_budget", default: configuration.dailyPostBudget,
                                                     range: 0...1_000_000)
        configuration.threadReplies = settings.bool("thread_replies", default: configuration.threadReplies)
        configuration.backfillOnFirstRun = settings.bool("backfill_on_first_run",
                                                         default: configuration.backfillOnFirstRun)
        configuration.reconcilePosting = settings.bool("reconcile_posting", default: configuration.reconcilePosting)
        configuration.allowMentions = settings.bool("allow_mentions", default: configuration.allowMentions)
        configuration.allowLinks = settings.bool("allow_links", default: configuration.allowLinks)
        configuration.spending = TwitterSpending.read(from: settings)
        settings.checkHTTPURL(configuration.apiBase, key: "api_base")
        configuration.apiBase = configuration.apiBase.withoutTrailingSlashes
        return configuration
    }

    /// `auth` and the secrets of both kinds; only those of the chosen kind are required (when enabled).
    private mutating func readAuth(from settings: some SettingsReader) {
        let kind = settings.string("auth", default: auth.name, allowed: ["oauth1", "oauth2"])
        let oauth1 = enabled && kind == "oauth1"
        let oauth2 = enabled && kind == "oauth2"
        func secret(_ name: String, _ variable: String, required: Bool, _ what: String) -> String {
            settings.secret(name, defaultEnv: variable, required: required, what: what) ?? ""
        }
        let keys = OAuth1Credentials(
            consumerKey: secret("consumer_key", "X_CONSUMER_KEY", required: oauth1, "the X API key (consumer key)"),
            consumerSecret: secret("consumer_secret", "X_CONSUMER_SECRET", required: oauth1, "the X API key secret"),
            token: secret("access_token", "X_ACCESS_TOKEN", required: oauth1, "the X access token"),
            tokenSecret: secret("access_token_secret", "X_ACCESS_TOKEN_SECRET", required: oauth1,
                                "the X access token secret"))
        let client = OAuth2Credentials(
            clientID: secret("client_id", "X_CLIENT_ID", required: oauth2, "the OAuth 2.0 client id"),
            clientSecret: secret("client_secret", "X_CLIENT_SECRET", required: false, "the OAuth 2.0 client secret"),
            initialRefreshToken: secret("refresh_token", "X_REFRESH_TOKEN", required: false,
                                        "the first OAuth 2.0 refresh token"))
        if kind == "oauth2" {
            auth = .oauth2(client)
            credentialSource = "client_id_env, client_secret_env, refresh_token_env"
            unusedSecrets = Self.secrets(of: .oauth1(keys))
        } else {
            auth = .oauth1(keys)
            credentialSource = "consumer_key_env, consumer_secret_env, access_token_env, access_token_secret_env"
            unusedSecrets = Self.secrets(of: .oauth2(client))
        }
    }

    /// Every secret of this configuration (to scrub and redact), OAuth 1.0a's before OAuth 2.0's.
    public var secrets: [String] {
        switch auth {
        case .oauth1: return Self.secrets(of: auth) + unusedSecrets
        case .oauth2: return unusedSecrets + Self.secrets(of: auth)
        }
    }

    private static func secrets(of auth: Auth) -> [String] {
        switch auth {
        case .oauth1(let c): return [c.consumerKey, c.consumerSecret, c.token, c.tokenSecret]
        case .oauth2(let c): return [c.clientSecret, c.initialRefreshToken]
        }
    }
}
