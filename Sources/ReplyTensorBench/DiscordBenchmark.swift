import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators

/// Idle polling at the default settings (5 s interval, 2 requests/s) against the Discord emulator: requests per
/// minute spent with nothing to do, and how long a mention written at a random moment waits for its reply.
enum DiscordBenchmark {
    static func run() async throws {
        for (guilds, perGuild) in [(1, 50), (5, 10)] {
            try await measure(guilds: guilds, perGuild: perGuild, idle: .seconds(60), mentions: 8)
        }
    }

    static func measure(guilds guildCount: Int, perGuild: Int, idle: Duration, mentions: Int) async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<guildCount {
            let guild = await emulator.addGuild(name: "guild \(index)")
            for channel in 0..<perGuild { channels.append(await emulator.addChannel(in: guild, name: "c\(channel)")) }
        }
        let alice = await emulator.addUser(username: "alice")
        let store = InMemoryStore()
        var logger = Logger(label: "bench.discord")
        logger.logLevel = .critical
        let http = CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1"))
        let adapter = DiscordAdapter(configuration: DiscordConfiguration(token: emulator.token, apiBase: emulator.apiBase),
                                     environment: AdapterEnvironment(http: http, state: store, logger: logger))
        let engine = Engine(configuration: EngineConfiguration(limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0,
                                                                                   dailyReplies: 0)),
                            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [],
                            logger: logger)
        let running = Task { try await engine.run() }
        while await store.cursors(for: .discord).count < channels.count { try await Task.sleep(for: .milliseconds(50)) }
        let clock = ContinuousClock()
        let started = clock.now
        let before = await emulator.recorder.requests.count
        try await Task.sleep(for: idle)
        let idleRequests = await emulator.recorder.requests.count - before
        let idleSeconds = (clock.now - started).seconds
        var delays: [Double] = []
        var generator = SeededGenerator(seed: UInt64(guildCount * 1000 + perGuild))
        for index in 0..<mentions {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 0...5000, using: &generator)))
            let channel = channels[Int.random(in: 0..<channels.count, using: &generator)]
            let mentionAt = clock.now
            let mention = try await emulator.inject("<@\(emulator.bot.id)> q\(index)", from: alice, in: channel)
            while await emulator.replies(to: mention).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            delays.append((clock.now - mentionAt).seconds)
        }
        let budget = await adapter.pollingBudget
        engine.shutdown()
        _ = try? await running.value
        report(["benchmark": "discord_idle_polling", "guilds": guildCount, "channels": channels.count,
                "idle_requests_per_minute": Double(idleRequests) * 60 / idleSeconds,
                "estimated_requests_per_minute": budget?.idleRequestsPerMinute ?? -1,
                "estimated_worst_case_wait_seconds": budget?.worstCaseWait.seconds ?? -1,
                "mention_to_reply_max_seconds": delays.max() ?? 0,
                "mention_to_reply_mean_seconds": delays.reduce(0, +) / Double(max(1, delays.count)),
                "violations": await emulator.violations == DiscordEmulator.Violations() ? 0 : 1])
    }
}
