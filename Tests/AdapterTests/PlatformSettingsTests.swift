import DiscordPlatform
import ReplyTensorCore
import TelegramPlatform
import Testing
import TwitterPlatform

/// Each adapter's settings type reads its own section: keys, defaults, validation and secrets, from an in-memory
/// reader.
@Suite("Platform settings")
struct PlatformSettingsTests {
    @Test("an absent section reads as every default, not enabled, with no problem")
    func defaults() {
        let settings = InMemorySettings(path: "telegram")
        let telegram = TelegramConfiguration.read(from: settings)
        #expect(settings.problems.isEmpty)
        #expect(!telegram.enabled && telegram.token.isEmpty)
        #expect(telegram.apiBase == "https://api.telegram.org" && telegram.pollTimeoutSeconds == 30)
        #expect(telegram.maxParts == 4 && !telegram.deleteWebhook && telegram.tokenSource == "TELEGRAM_BOT_TOKEN")
        #expect(DiscordConfiguration.defaults.pollInterval == .seconds(5))
        #expect(DiscordConfiguration.defaults.guilds.isEmpty && !DiscordConfiguration.defaults.enabled)
        #expect(TwitterConfiguration.defaults.auth.name == "oauth1" && TwitterConfiguration.defaults.dailyPostBudget == 50)
        #expect(TwitterConfiguration.sectionNames == ["twitter", "x"] && TelegramConfiguration.sectionNames == ["telegram"])
    }

    @Test("Telegram reads its keys and its token, and trims the API base")
    func telegram() {
        let settings = InMemorySettings(path: "telegram", values: [
            "enabled": .bool(true), "token_env": .string("MY_TOKEN"), "api_base": .string("http://127.0.0.1:9/"),
            "poll_timeout_seconds": .int(5), "max_parts": .int(2), "delete_webhook": .bool(true),
        ], environment: ["MY_TOKEN": " 1:abc \n"])
        let telegram = TelegramConfiguration.read(from: settings)
        #expect(settings.problems.isEmpty && settings.unreadKeys.isEmpty)
        #expect(telegram.enabled && telegram.token == "1:abc" && telegram.secrets == ["1:abc"])
        #expect(telegram.apiBase == "http://127.0.0.1:9" && telegram.pollTimeoutSeconds == 5)
        #expect(telegram.maxParts == 2 && telegram.deleteWebhook)
    }

    @Test("problems name the key path, what was expected and what was found; the default stands")
    func problems() {
        let settings = InMemorySettings(path: "telegram", values: [
            "enabled": .bool(true), "api_base": .string("ftp://x/"), "poll_timeout_seconds": .int(99),
            "max_parts": .string("two"), "nmae": .int(1),
        ])
        let telegram = TelegramConfiguration.read(from: settings)
        #expect(settings.problems == [
            "telegram.token_env: environment variable TELEGRAM_BOT_TOKEN is not set (expected the Telegram bot token from BotFather)",
            "telegram.poll_timeout_seconds: expected an integer in 0…50, found 99",
            "telegram.max_parts: expected an integer, found string \"two\"",
            "telegram.api_base: expected an http(s) URL, found \"ftp://x/\"",
        ])
        #expect(telegram.pollTimeoutSeconds == 30 && telegram.maxParts == 4)
        #expect(settings.unreadKeys == ["nmae"])
    }

    @Test("Discord reads seconds as a duration, ids written as numbers, and names where its token came from")
    func discord() {
        let settings = InMemorySettings(path: "discord", values: [
            "guilds": .array([.int(123), .string("456")]), "poll_interval_seconds": .double(0.5),
            "poll_requests_per_second": .int(3), "channels": .array([.bool(true)]),
        ])
        let discord = DiscordConfiguration.read(from: settings)
        #expect(settings.problems == ["discord.channels[0]: expected a string, found boolean true"])
        #expect(discord.guilds == ["123", "456"] && discord.pollInterval == .milliseconds(500))
        #expect(discord.pollRequestsPerSecond == 3 && discord.secrets == [""])
        #expect(discord.tokenSource == "the token named by [discord] token_env or token_file")
    }

    @Test("X requires only the secrets of the chosen auth, and redacts the others it read")
    func twitter() {
        let environment = ["X_CLIENT_ID": "client-id", "X_REFRESH_TOKEN": "refresh-1", "X_CONSUMER_KEY": "ck-unused"]
        let settings = InMemorySettings(path: "x", values: ["enabled": .bool(true), "auth": .string("oauth2")],
                                      environment: environment)
        let twitter = TwitterConfiguration.read(from: settings)
        #expect(settings.problems.isEmpty)
        guard case .oauth2(let client) = twitter.auth else {
            Issue.record("expected OAuth 2.0, got \(twitter.auth.name)")
            return
        }
        #expect(client.clientID == "client-id" && client.initialRefreshToken == "refresh-1" && client.clientSecret.isEmpty)
        #expect(twitter.credentialSource == "client_id_env, client_secret_env, refresh_token_env")
        #expect(twitter.secrets == ["ck-unused", "", "", "", "", "refresh-1"])

        let oauth1 = InMemorySettings(path: "x", values: ["enabled": .bool(true), "auth": .string("oauth3")])
        _ = TwitterConfiguration.read(from: oauth1)
        #expect(oauth1.problems.first == "x.auth: expected one of \"oauth1\", \"oauth2\", found \"oauth3\"")
        let keys = oauth1.problems.dropFirst().map { problem in String(problem.prefix { $0 != ":" }) }
        #expect(keys == ["x.consumer_key_env", "x.consumer_secret_env", "x.access_token_env", "x.access_token_secret_env"])
    }
}
