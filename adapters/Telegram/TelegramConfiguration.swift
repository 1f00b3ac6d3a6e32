/// How the Telegram adapter talks to the Bot API: the `[telegram]` section of the configuration.
public struct TelegramConfiguration: Sendable {
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
        var base = apiBase
        while base.hasSuffix("/") { base.removeLast() }
        self.apiBase = base
        self.pollTimeoutSeconds = max(0, pollTimeoutSeconds)
        self.maxParts = max(1, maxParts)
        self.deleteWebhook = deleteWebhook
        self.allowedUpdates = allowedUpdates
        self.tokenSource = tokenSource
    }
}
