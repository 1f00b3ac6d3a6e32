import DiscordPlatform
import ReplyTensorCore
import Testing

/// `[discord] mode` and `message_content`, read by the Discord settings type.
@Suite("Discord gateway settings")
struct DiscordGatewaySettingsTests {
    @Test("mode defaults to poll, message_content to false; the intents are derived from message_content")
    func defaults() {
        #expect(DiscordConfiguration.defaults.mode == .poll)
        #expect(!DiscordConfiguration.defaults.messageContent)
        #expect(DiscordIntents.derived(messageContent: false).names == ["GUILDS", "GUILD_MESSAGES", "DIRECT_MESSAGES"])
        #expect(DiscordIntents.derived(messageContent: true).contains(.messageContent))
    }

    @Test("gateway mode with MESSAGE_CONTENT is read; an unknown mode is a problem naming the key and poll stands")
    func readsAndValidates() {
        let settings = InMemorySettings(path: "discord", values: [
            "mode": .string("gateway"), "message_content": .bool(true),
        ])
        let configuration = DiscordConfiguration.read(from: settings)
        #expect(settings.problems.isEmpty && settings.unreadKeys.isEmpty)
        #expect(configuration.mode == .gateway && configuration.messageContent)
        let wrong = InMemorySettings(path: "discord", values: ["mode": .string("websocket")])
        #expect(DiscordConfiguration.read(from: wrong).mode == .poll)
        #expect(wrong.problems == ["discord.mode: expected one of \"poll\", \"gateway\", found \"websocket\""])
    }
}
