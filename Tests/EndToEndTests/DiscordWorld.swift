import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// A Discord emulator and a gateway emulator in the test process, and configurations for the real binary.
struct DiscordWorld {
    let discord: DiscordEmulator
    let gateway: GatewayEmulator
    let folder: URL
    let guild: DiscordEmulator.Guild

    /// The token of a second bot (for two bots talking to each other).
    static let otherToken = "MTAwMDAwMDAwMDAwMDAwMDAy.emulator.other-bot-token-4567"

    static func start(answer: GatewayEmulator.Answer? = nil) async throws -> DiscordWorld {
        let discord = try await DiscordEmulator.start()
        let world = DiscordWorld(discord: discord, gateway: try await GatewayEmulator.start(),
                                 folder: try BotProcess.makeFolder(), guild: await discord.addGuild(name: "Subnet friends"))
        if let answer { await world.gateway.setAnswer(answer) }
        return world
    }

    func stop() async {
        await discord.stop()
        await gateway.stop()
    }

    var environment: [String: String] {
        ["E2E_DISCORD_TOKEN": discord.token, "E2E_GATEWAY_KEY": gateway.apiKey, "E2E_OTHER_TOKEN": Self.otherToken]
    }

    /// Writes `replytensor.toml` into `folder` (default: the world's); `extra` is appended verbatim.
    func writeConfig(folder: URL? = nil, tokenEnv: String = "E2E_DISCORD_TOKEN", logLevel: String = "info",
                     botExtra: String = "", discordExtra: String = "", extra: String = "") throws {
        try E2EConfig.write(E2EConfig.common(gateway: gateway, botExtra: botExtra), """
            [discord]
            enabled = true
            token_env = "\(tokenEnv)"
            api_base = "\(discord.apiBase)"
            poll_interval_seconds = 0.3
            poll_requests_per_second = 25
            \(discordExtra)
            [log]
            level = "\(logLevel)"
            \(extra)
            """, to: folder ?? self.folder)
    }

    func startBot(folder: URL? = nil, environment extra: [String: String] = [:]) throws -> BotProcess {
        try BotProcess(["run"], folder: folder ?? self.folder, environment: environment.merging(extra) { _, new in new })
    }

    /// Waits until the bot's first polling round is done (it starts from "now": earlier messages are history):
    /// a second round has begun listing the guild.
    func waitUntilWatching(timeout: Duration = .seconds(30)) async -> Bool {
        await Self.wait(timeout: timeout) {
            let requests = await discord.recorder.requests(path: "/threads/active")
            return requests.count >= 2
        }
    }

    /// `count` new channels with `perChannel` mentions each from 20 users, injected round-robin.
    func burst(channels count: Int, perChannel: Int) async throws
        -> (channels: [DiscordEmulator.Channel], messages: [DiscordEmulator.Message]) {
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<count { channels.append(await discord.addChannel(in: guild, name: "channel-\(index)")) }
        var users: [DiscordEmulator.User] = []
        for index in 0..<20 { users.append(await discord.addUser(username: "user\(index)")) }
        var messages: [DiscordEmulator.Message] = []
        for round in 0..<perChannel {
            for (index, channel) in channels.enumerated() {
                let user = users[(round * count + index) % users.count]
                messages.append(try await discord.inject("<@\(discord.bot.id)> question \(round) in \(index)",
                                                         from: user, in: channel))
            }
        }
        return (channels, messages)
    }

    func replyCounts(_ messages: [DiscordEmulator.Message]) async -> [Int] {
        let sent = await discord.sent
        var counts: [String: Int] = [:]
        for message in sent { counts[message.replyTo ?? "-", default: 0] += 1 }
        return messages.map { counts[$0.id] ?? 0 }
    }

    func status(folder: URL? = nil) async throws -> [String: Any] {
        let result = try await BotProcess.run(["status", "--json"], folder: folder ?? self.folder,
                                              environment: environment)
        #expect(result.status == 0)
        return (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]) ?? [:]
    }

    func ledger(folder: URL? = nil) async throws -> [String: Int] {
        let mentions = try await status(folder: folder)["mentions"] as? [String: [String: Int]]
        return mentions?["discord"] ?? [:]
    }

    static func wait(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(50), condition)
    }
}
