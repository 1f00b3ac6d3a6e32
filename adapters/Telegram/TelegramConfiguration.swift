import ReplyTensorCore

/// How the Telegram adapter talks to the Bot API: the `[telegram]` section of the configuration. `read(from:)` is the
/// one place a key of the section is named, defaulted and validated; the defaults are the initializer's.
public struct TelegramConfiguration: PlatformSettings {
    /// `enabled`: whether the bot answers on Telegram.
    public var enabled = false
    /// The bot token from BotFather (`123456:ABC…`). Never logged; scrubbed from every error.
    public var token: String
    /// Where the Bot API lives (`api_base`), without a trailing slash. Requests go to `\(apiBase)/bot<token>/<method>`.
    public var apiBase: String
    /// `poll_timeout_seconds`: how long one `getUpdates` long poll may wait on the server. 0 = short polling.
    public var pollTimeoutSeconds: Int
    /// How many messages one answer may be split into (the engine's `maxParts`).
    public var maxParts: Int
    /// `delete_webhook`: when `getUpdates` answers 409 because a webhook is set, delete the webhook (off by default:
    /// deleting someone's webhook is the operator's decision).
    public var deleteWebhook: Bool
    /// The update kinds requested from `getUpdates`. Only `message` by default: edits would answer the same mention
    /// twice, and channel posts are not addressed to a bot by a person.
    public var allowedUpdates: [String]
    /// Name of the setting the token came from, used in the message of a 401 (e.g. `TELEGRAM_BOT_TOKEN`).
    public var tokenSource: String

    public init(token: String, apiBase: String = "https://api.telegram.org", pollTimeoutSeconds: Int = 30,
                maxParts: Int = 4, deleteWebhook: Bool = false, allowedUpdates: [String] = ["message"],
                tokenSource: String = "TELEGRAM_BOT_TOKEN") {
        self.token = token
        self.apiBase = apiBase.withoutTrailingSlashes
        self.pollTimeoutSeconds = max(0, pollTimeoutSeconds)
        self.maxParts = max(1, maxParts)
        self.deleteWebhook = deleteWebhook
        self.allowedUpdates = allowedUpdates
        self.tokenSource = tokenSource
    }

    public static let platform = Platform.telegram

    public static func read(from settings: some SettingsReader) -> TelegramConfiguration {
        var configuration = TelegramConfiguration(token: "")
        configuration.enabled = settings.bool("enabled", default: configuration.enabled)
        configuration.token = settings.secret("token", defaultEnv: "TELEGRAM_BOT_TOKEN", required: configuration.enabled,
                                              what: "the Telegram bot token from BotFather") ?? ""
        configuration.apiBase = settings.string("api_base", default: configuration.apiBase)
        configuration.pollTimeoutSeconds = settings.int("poll_timeout_seconds", default: configuration.pollTimeoutSeconds,
                                                        range: 0...50)
        configuration.maxParts = settings.int("max_parts", default: configuration.maxParts, range: 1...20)
        configuration.deleteWebhook = settings.bool("delete_webhook", default: configuration.deleteWebhook)
        settings.checkHTTPURL(configuration.apiBase, key: "api_base")
        configuration.apiBase = configuration.apiBase.withoutTrailingSlashes
        return configuration
    }

    public var secrets: [String] { [token] }
}
