import Foundation
import ReplyTensorApp
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// The Telegram, Discord and X emulators and the gateway emulator in this process, and `replytensor run` as a child
/// with all three platforms enabled and the gateway as its responder (instant answers).
struct ThreePlatformWorld {
    let telegram: TelegramEmulator
    let discord: DiscordEmulator
    let x: TwitterEmulator
    let gateway: GatewayEmulator
    let guild: DiscordEmulator.Guild

    static func start() async throws -> ThreePlatformWorld {
        let discord = try await DiscordEmulator.start()
        let guild = await discord.addGuild(name: "bench guild")
        await discord.addChannel(in: guild, name: "general")
        return ThreePlatformWorld(telegram: try await TelegramEmulator.start(), discord: discord,
                                  x: try await TwitterEmulator.start(), gateway: try await GatewayEmulator.start(),
                                  guild: guild)
    }

    func stop() async {
        await telegram.stop()
        await discord.stop()
        await x.stop()
        await gateway.stop()
    }

    var environment: [String: String] {
        ["BENCH_TELEGRAM_TOKEN": telegram.token, "BENCH_DISCORD_TOKEN": discord.token,
         "BENCH_X_CONSUMER_KEY": x.consumerKey, "BENCH_X_CONSUMER_SECRET": x.consumerSecret,
         "BENCH_X_ACCESS_TOKEN": x.accessToken, "BENCH_X_ACCESS_SECRET": x.accessTokenSecret,
         "BENCH_GATEWAY_KEY": gateway.apiKey]
    }

    /// The configuration: the contract's defaults for polling (`busy`: Discord polled every second at 25 requests/s,
    /// to drain a burst in channels the bot already knows), no policy limits, no X post budget.
    func config(busy: Bool) -> String {
        TelegramBenchmark.telegramAndGateway(telegram: telegram, gateway: gateway) + """
        [discord]
        enabled = true
        token_env = "BENCH_DISCORD_TOKEN"
        api_base = "\(discord.apiBase)"
        \(busy ? "poll_interval_seconds = 1\npoll_requests_per_second = 25" : "")
        [twitter]
        enabled = true
        api_base = "\(x.apiBase)"
        auth = "oauth1"
        consumer_key_env = "BENCH_X_CONSUMER_KEY"
        consumer_secret_env = "BENCH_X_CONSUMER_SECRET"
        access_token_env = "BENCH_X_ACCESS_TOKEN"
        access_token_secret_env = "BENCH_X_ACCESS_SECRET"
        daily_post_budget = 0
        [log]
        level = "warning"
        """
    }

    /// Writes the configuration into a new folder (checked with the bot's own loader first) and starts the bot there.
    func startBot(busy: Bool) throws -> (child: ChildProcess, folder: URL) {
        let folder = URL(fileURLWithPath: temporaryStorePath("three")).deletingLastPathComponent()
        let text = config(busy: busy)
        let url = folder.appendingPathComponent("replytensor.toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        _ = try ReplyTensorConfiguration.parse(text, source: url, environment: ProcessInfo.processInfo.environment
                                                   .merging(environment) { $1 })
        let child = ChildProcess(executable: TelegramBenchmark.binary, arguments: ["run"], directory: folder,
                                 environment: environment, input: .null,
                                 output: .log(folder.appendingPathComponent("bot.log")))
        try child.start()
        return (child, folder)
    }

    /// Request counts the bot's watching is judged by: Telegram polls, X mentions reads, Discord active-thread lists.
    func watchCounts() async -> [Int] {
        [await telegram.recorder.requests(path: "getUpdates").count, await x.recorder.requests(path: "/mentions").count,
         await discord.recorder.requests(path: "/threads/active").count]
    }

    /// Waits until every platform is watching: a Telegram poll and an X mentions read since `before`, and a second
    /// Discord round begun (its first round takes "now" as the start). False when the child exited or 60 s passed.
    func waitUntilWatching(_ child: ChildProcess, since before: [Int]) async -> Bool {
        let watching = await Polling.wait(timeout: .seconds(60), every: .milliseconds(5)) {
            let now = await watchCounts()
            return !child.isRunning || (now[0] > before[0] && now[1] > before[1] && now[2] >= before[2] + 2)
        }
        return watching && child.isRunning
    }
}
