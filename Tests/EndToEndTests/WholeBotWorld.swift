import Bittensor
import Foundation
import ReplyTensorTestSupport
import ReplyTensorEmulators
import Testing

/// The whole bot's world in the test process: Telegram, Discord and X emulators, the gateway emulator, and a local
/// subnet (a subtensor emulator listing Swift axons on 127.0.0.1). The real binary runs with all three platforms
/// enabled and `responder.order = ["subnet", "gateway"]`. The per-platform worlds share the gateway and the folder, so
/// their helpers (bursts, reply counts) are reused as they are.
struct WholeBotWorld {
    let telegram: TelegramWorld
    let discord: DiscordWorld
    let twitter: TwitterWorld
    let gateway: GatewayEmulator
    let subnet: LocalSubnet
    let folder: URL
    let metricsPort: Int

    var subtensor: SubtensorEmulator { subnet.subtensor }
    var axons: [LocalAxon] { subnet.axons }

    /// The answer of a good local miner (the local responder is deterministic and says what it is).
    static let minerAnswer: LocalAxon.Responder = { "[local miner] " + ($0.messages.last ?? "") }

    /// Starts everything; `minerFaultRate` of the axons' answers fail (500) or come back empty after a short stall;
    /// every miner answer takes `minerDelay`.
    static func start(minerFaultRate: Double = 0, minerDelay: Duration = .zero, minerCount: Int = 3) async throws
        -> WholeBotWorld {
        let folder = try BotProcess.makeFolder()
        let gateway = try await GatewayEmulator.start()
        let telegramEmulator = try await TelegramEmulator.start()
        let discordEmulator = try await DiscordEmulator.start()
        let x = try await TwitterEmulator.start()
        // X's 15-minute windows scaled down to 15 s so a test run sees several of them (the rules are still enforced).
        await x.setRateLimit(.mentions, limit: 30, windowSeconds: 15)
        await x.setRateLimit(.usersMe, limit: 100, windowSeconds: 15)
        await x.setRateLimit(.tweetLookup, limit: 100, windowSeconds: 15)
        await x.setRateLimit(.userTweets, limit: 100, windowSeconds: 15)
        await x.setRateLimit(.createTweet, limit: 100, windowSeconds: 15)
        let miner = LocalSubnet.Miner { synapse in
            if minerDelay > .zero { try await Task.sleep(for: minerDelay) }
            if minerFaultRate > 0, Double.random(in: 0..<1) < minerFaultRate {
                if Bool.random() { throw CancellationError() }  // a failing miner: 500
                try await Task.sleep(for: .milliseconds(200))
                return ""  // an empty answer
            }
            return try await minerAnswer(synapse)
        }
        let subnet = try await LocalSubnet.start(Array(repeating: miner, count: minerCount), keySeed: 0x60,
                                                 incentiveStep: 1000)
        let world = WholeBotWorld(
            telegram: TelegramWorld(telegram: telegramEmulator, gateway: gateway, folder: folder),
            discord: DiscordWorld(discord: discordEmulator, gateway: gateway, folder: folder,
                                  guild: await discordEmulator.addGuild(name: "Subnet friends")),
            twitter: TwitterWorld(x: x, gateway: gateway, folder: folder, refreshSeed: await x.issueRefreshToken()),
            gateway: gateway, subnet: subnet, folder: folder, metricsPort: try LoopbackPort.free())
        let created = try await BotProcess.run(["wallet", "create", "--wallet-path",
                                                folder.appendingPathComponent("wallets").path, "--wallet", "bot",
                                                "--hotkey", "hk"], folder: folder)
        #expect(created.status == 0, "\(created.output)")
        return world
    }

    func stop() async {
        await telegram.telegram.stop()
        await discord.discord.stop()
        await twitter.x.stop()
        await gateway.stop()
        await subnet.stop()
    }

    var environment: [String: String] {
        telegram.environment.merging(discord.environment) { $1 }.merging(twitter.environment) { $1 }
    }

    /// Writes `replytensor.toml` with the three platforms and both responders.
    /// `store` and `extra` (e.g. a `[replica]` section) select a PostgreSQL store shared by replicas.
    func writeConfig(graceSeconds: Int = 15, allowPrivateAxons: Bool = true, logLevel: String = "info",
                     store: String = "bot.sqlite", botExtra: String = "", extra: String = "") throws {
        let common = E2EConfig.common(gateway: gateway, graceSeconds: graceSeconds, botExtra: botExtra,
                                      order: #"["subnet", "gateway"]"#, timeoutSeconds: 4, store: store)
        // Every miner is asked, so that two good answers agree even when one of them faults (quorum 3 by default).
        let subnetSection = subnet.configSection(walletPath: "wallets", wallet: "bot", hotkey: "hk",
                                                 minersPerQuery: subnet.axons.count, allowPrivateAxons: allowPrivateAxons)
        try E2EConfig.write(common, subnetSection, """
            [telegram]
            enabled = true
            token_env = "E2E_TELEGRAM_TOKEN"
            api_base = "\(telegram.telegram.apiBase)"
            poll_timeout_seconds = 2
            [discord]
            enabled = true
            token_env = "E2E_DISCORD_TOKEN"
            api_base = "\(discord.discord.apiBase)"
            poll_interval_seconds = 0.3
            poll_requests_per_second = 25
            """, E2EConfig.twitter(apiBase: twitter.x.apiBase), """
            daily_post_budget = 0
            [metrics]
            listen = "127.0.0.1:\(metricsPort)"
            [log]
            level = "\(logLevel)"
            \(extra)
            """, to: folder)
    }

    func startBot() throws -> BotProcess { try BotProcess(["run"], folder: folder, environment: environment) }

    /// Starts the bot and waits until every platform is watching (Discord and X start from "now" on a first run).
    func startBotAndWaitUntilWatching() async throws -> BotProcess {
        let before = await twitter.x.recorder.requests(path: "/mentions").count
        let bot = try startBot()
        let watching = await Self.wait(timeout: .seconds(40)) {
            await twitter.x.recorder.requests(path: "/mentions").count > before
        }
        let discordWatching = await discord.waitUntilWatching()
        #expect(watching && discordWatching, "the bot never started watching:\n\(bot.output.suffix(2000))")
        return bot
    }

    /// `replytensor status --json`.
    func status(extra: [String: String] = [:]) async throws -> [String: Any] {
        let result = try await BotProcess.run(["status", "--json"], folder: folder,
                                              environment: environment.merging(extra) { $1 })
        #expect(result.status == 0, "\(result.output)")
        return (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]) ?? [:]
    }

    /// Ledger counts by platform and state.
    func ledgers(extra: [String: String] = [:]) async throws -> [String: [String: Int]] {
        (try await status(extra: extra)["mentions"] as? [String: [String: Int]]) ?? [:]
    }

    /// Mentions with a final state (answered, failed, unknown, skipped) per platform.
    static func finished(_ ledger: [String: Int]) -> Int {
        ["answered", "failed", "unknown", "skipped"].reduce(0) { $0 + (ledger[$1] ?? 0) }
    }

    static func wait(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        await TelegramWorld.wait(timeout: timeout, condition)
    }
}
