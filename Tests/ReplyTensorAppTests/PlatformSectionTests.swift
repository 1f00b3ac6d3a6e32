import Foundation
import ReplyTensorApp
import ReplyTensorCore
import Testing

/// The App routes `[telegram]`, `[discord]` and `[twitter]` (or `[x]`) to the adapters' settings types.
@Suite("Platform sections")
struct PlatformSectionTests {
    static let gateway = "[responder]\norder = [\"gateway\"]\n[responder.gateway]\nbase_url = \"http://127.0.0.1:9/v1\"\n"

    @Test("a platform section reaches the adapter's settings type")
    func routed() throws {
        let configuration = try Fixtures.parse(Self.gateway + """
            [telegram]
            enabled = true
            api_base = "http://127.0.0.1:8/"
            [discord]
            guilds = [42]
            """, environment: ["TELEGRAM_BOT_TOKEN": "123:telegram-token"])
        #expect(configuration.telegram.enabled && configuration.telegram.token == "123:telegram-token")
        #expect(configuration.telegram.apiBase == "http://127.0.0.1:8")
        #expect(configuration.discord.guilds == ["42"] && !configuration.discord.enabled)
        #expect(configuration.enabledPlatforms == [.telegram])
        #expect(configuration.secrets.contains("123:telegram-token"))
    }

    @Test("[x] is another name for [twitter]; problems name the section as written")
    func xAlias() throws {
        let configuration = try Fixtures.parse(Self.gateway + """
            [x]
            enabled = true
            daily_post_budget = 7
            """, environment: ["X_CONSUMER_KEY": "ck", "X_CONSUMER_SECRET": "cs", "X_ACCESS_TOKEN": "at",
                               "X_ACCESS_TOKEN_SECRET": "ats"])
        #expect(configuration.twitter.enabled && configuration.twitter.dailyPostBudget == 7)
        #expect(configuration.enabledPlatforms == [.twitter])

        let problems = Fixtures.problems(Self.gateway + "[x]\nenabled = true\ndaily_budget = 1\n")
        #expect(problems.contains("x.daily_budget: unknown key"))
        #expect(problems.contains("x.consumer_key_env: environment variable X_CONSUMER_KEY is not set (expected the X API key (consumer key))"))
    }

    @Test("[x] and [twitter] together are refused")
    func bothNames() {
        let problems = Fixtures.problems(Self.gateway + "[twitter]\nenabled = false\n[x]\nenabled = true\n")
        #expect(problems == ["x: [x] is another name for [twitter]; write only one of them"])
    }

    @Test("a platform's wrong types and missing secrets keep their wording")
    func wording() {
        let problems = Fixtures.problems(Self.gateway + """
            [discord]
            enabled = true
            poll_interval_seconds = 0.01
            max_parts = "4"
            """)
        #expect(problems.contains("discord.token_env: environment variable DISCORD_BOT_TOKEN is not set (expected the Discord bot token)"))
        #expect(problems.contains("discord.poll_interval_seconds: expected a number ≥ 0.05, found 0.01"))
        #expect(problems.contains("discord.max_parts: expected an integer, found string \"4\""))
    }
}
