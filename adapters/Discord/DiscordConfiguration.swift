import ReplyTensorCore

/// How the Discord adapter talks to the HTTP API: the `[discord]` section of the configuration. `read(from:)` is the
/// one place a key of the section is named, defaulted and validated; the defaults are the initializer's.
public struct DiscordConfiguration: PlatformSettings {
    /// `enabled`: whether the bot answers on Discord.
    public var enabled = false
    /// The bot token (Developer Portal → Bot → Token). Sent as `Authorization: Bot <token>`; never logged.
    public var token: String
    /// `api_base`, without a trailing slash (`https://discord.com/api/v10`).
    public var apiBase: String
    /// `guilds`: guild ids to watch; empty = every guild the bot is in.
    public var guilds: [String]
    /// `channels`: optional allowlist of channel (or thread) ids; empty = every readable text channel.
    public var channels: [String]
    /// `mode`: how messages arrive: `poll` (REST polling of guild channels, the default) or `gateway` (events over
    /// the WebSocket Gateway, DMs included; replies still go through the REST API).
    public var mode: Mode
    /// `message_content`: ask for the privileged MESSAGE_CONTENT intent in gateway mode (enable it in the Developer
    /// Portal first, or the Gateway closes with 4014). Off: content is visible in mentions, replies and DMs only.
    public var messageContent: Bool
    /// `poll_interval_seconds`: the shortest time between two polling rounds.
    public var pollInterval: Duration
    /// `poll_requests_per_second`: the request rate idle polling may spend (well under the global 50/s).
    public var pollRequestsPerSecond: Double
    /// How many messages one answer may be split into.
    public var maxParts: Int
    /// How often guilds, channels, roles and active threads are listed again.
    public var discoveryInterval: Duration
    /// The ceiling kept under Discord's global 50 requests/s (a small margin for clock skew).
    public var globalRequestsPerSecond: Int
    /// 401/403/429 answers in 10 minutes after which every request is slowed down, and after which requests stop
    /// until the window drains (Discord bans at 10,000).
    public var invalidRequestSoftLimit: Int
    public var invalidRequestHardLimit: Int
    /// Tries for one request answered 5xx or 429 before the failure is reported.
    public var maxTries: Int
    /// `nonce_resend_seconds`: how long after a post was last under way a resend relies on `nonce` +
    /// `enforce_nonce` (Discord de-duplicates "in the past few minutes"). Past it, the bot looks in the channel for
    /// its earlier reply instead of sending again.
    public var nonceResendWindow: Duration
    /// How long every Discord request stops after Cloudflare banned this IP (a 429 without Discord's JSON body).
    public var cloudflareBanHold: Duration
    /// The `User-Agent` Discord requires: `DiscordBot (url, version)`.
    public var userAgent: String
    /// Name of the setting the token came from, used in the message of a 401.
    public var tokenSource: String

    public enum Mode: String, Sendable, CaseIterable {
        case poll, gateway
    }

    public init(token: String, apiBase: String = "https://discord.com/api/v10", mode: Mode = .poll,
                messageContent: Bool = false, guilds: [String] = [],
                channels: [String] = [], pollInterval: Duration = .seconds(5), pollRequestsPerSecond: Double = 2,
                maxParts: Int = 4, discoveryInterval: Duration = .seconds(60), globalRequestsPerSecond: Int = 48,
                invalidRequestSoftLimit: Int = 500, invalidRequestHardLimit: Int = 2000, maxTries: Int = 4,
                nonceResendWindow: Duration = .seconds(120), cloudflareBanHold: Duration = .seconds(3600),
                userAgent: String = "DiscordBot (https://github.com/replytensor/replytensor, 0.1.0)",
                tokenSource: String = "DISCORD_BOT_TOKEN") {
        self.token = token
        self.apiBase = apiBase.withoutTrailingSlashes
        self.mode = mode
        self.messageContent = messageContent
        self.guilds = guilds
        self.channels = channels
        self.pollInterval = max(.milliseconds(50), pollInterval)
        self.pollRequestsPerSecond = max(0.01, pollRequestsPerSecond)
        self.maxParts = max(1, maxParts)
        self.discoveryInterval = discoveryInterval
        self.globalRequestsPerSecond = max(1, min(50, globalRequestsPerSecond))
        self.invalidRequestSoftLimit = invalidRequestSoftLimit
        self.invalidRequestHardLimit = max(invalidRequestSoftLimit, invalidRequestHardLimit)
        self.maxTries = max(1, maxTries)
        self.nonceResendWindow = max(.zero, nonceResendWindow)
        self.cloudflareBanHold = max(.zero, cloudflareBanHold)
        self.userAgent = userAgent
        self.tokenSource = tokenSource
    }

    public static let platform = Platform.discord

    public static func read(from settings: some SettingsReader) -> DiscordConfiguration {
        var configuration = DiscordConfiguration(token: "", tokenSource: "the token named by [discord] token_env or token_file")
        configuration.enabled = settings.bool("enabled", default: configuration.enabled)
        configuration.token = settings.secret("token", defaultEnv: "DISCORD_BOT_TOKEN", required: configuration.enabled,
                                              what: "the Discord bot token") ?? ""
        configuration.apiBase = settings.string("api_base", default: configuration.apiBase)
        let mode = settings.string("mode", default: configuration.mode.rawValue,
                                   allowed: Mode.allCases.map(\.rawValue))
        configuration.mode = Mode(rawValue: mode) ?? .poll
        configuration.messageContent = settings.bool("message_content", default: configuration.messageContent)
        configuration.guilds = settings.strings("guilds", default: configuration.guilds)
        configuration.channels = settings.strings("channels", default: configuration.channels)
        let interval = settings.double("poll_interval_seconds", default: configuration.pollInterval.seconds, minimum: 0.05)
        configuration.pollInterval = .milliseconds(Int64(interval * 1000))
        configuration.pollRequestsPerSecond = settings.double("poll_requests_per_second",
                                                              default: configuration.pollRequestsPerSecond, minimum: 0.01)
        configuration.maxParts = settings.int("max_parts", default: configuration.maxParts, range: 1...20)
        // Discord remembers a nonce "in the past few minutes": longer than 5 minutes would resend into a double post.
        let nonceSeconds = settings.int("nonce_resend_seconds", default: Int(configuration.nonceResendWindow.seconds),
                                        range: 0...300)
        configuration.nonceResendWindow = .seconds(nonceSeconds)
        settings.checkHTTPURL(configuration.apiBase, key: "api_base")
        configuration.apiBase = configuration.apiBase.withoutTrailingSlashes
        return configuration
    }

    public var secrets: [String] { [token] }
}
