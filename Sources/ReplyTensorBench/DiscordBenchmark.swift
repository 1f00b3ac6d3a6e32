import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// `discord [--mode poll|gateway]` (both without `--mode`) against the Discord emulator at the default settings, for
/// 50 channels in one guild and 10 in each of 5 guilds: REST requests per minute spent with nothing to do, and how long
/// a mention written at a random moment waits for its reply (p50/p95/max). Polling: 5 s interval, 2 requests/s.
/// Gateway: events over the emulated WebSocket Gateway (Discord's 41.25 s heartbeat), replies over REST.
enum DiscordBenchmark {
    static func run(arguments: [String]) async throws {
        var modes: [DiscordConfiguration.Mode] = [.poll, .gateway]
        if let flag = arguments.firstIndex(of: "--mode"), arguments.indices.contains(flag + 1),
           let mode = DiscordConfiguration.Mode(rawValue: arguments[flag + 1]) {
            modes = [mode]
        }
        for mode in modes {
            for (guilds, perGuild) in [(1, 50), (5, 10)] {
                try await measure(mode: mode, guilds: guilds, perGuild: perGuild, idle: .seconds(60),
                                  mentions: mode == .poll ? 8 : 40)
            }
        }
    }

    static func measure(mode: DiscordConfiguration.Mode, guilds guildCount: Int, perGuild: Int, idle: Duration,
                        mentions: Int) async throws {
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
        let adapter = DiscordAdapter(configuration: DiscordConfiguration(token: emulator.token, apiBase: emulator.apiBase,
                                                                         mode: mode),
                                     environment: AdapterEnvironment(http: http, state: store, logger: logger))
        let engine = Engine(configuration: EngineConfiguration(limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0,
                                                                                   dailyReplies: 0)),
                            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [],
                            logger: logger)
        let running = Task { try await engine.run() }
        try await waitUntilWatching(mode: mode, emulator: emulator, store: store, channels: channels.count)
        let clock = ContinuousClock()
        let started = clock.now
        let before = await emulator.recorder.requests.count
        try await Task.sleep(for: idle)
        let idleRequests = await emulator.recorder.requests.count - before
        let idleSeconds = (clock.now - started).seconds
        var delays: [Duration] = []
        var generator = SeededGenerator(seed: UInt64(guildCount * 1000 + perGuild))
        let spacing: Int64 = mode == .poll ? 5000 : 250
        for index in 0..<mentions {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 0...spacing, using: &generator)))
            let channel = channels[Int.random(in: 0..<channels.count, using: &generator)]
            let mentionAt = clock.now
            let mention = try await emulator.inject("<@\(emulator.bot.id)> q\(index)", from: alice, in: channel)
            while await emulator.replies(to: mention).isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            delays.append(clock.now - mentionAt)
        }
        let budget = await adapter.pollingBudget
        engine.shutdown()
        _ = try? await running.value
        await adapter.stopGateway()
        var fields: [String: Any] = [
            "benchmark": mode == .poll ? "discord_idle_polling" : "discord_gateway", "mode": mode.rawValue,
            "guilds": guildCount, "channels": channels.count, "mentions": delays.count,
            "idle_rest_requests_per_minute": Double(idleRequests) * 60 / idleSeconds,
            "mention_to_reply_p50_ms": Percentile.milliseconds(0.5, of: delays) ?? 0,
            "mention_to_reply_p95_ms": Percentile.milliseconds(0.95, of: delays) ?? 0,
            "mention_to_reply_max_ms": Percentile.milliseconds(1, of: delays) ?? 0,
            "responder": "in-process echo (about 0 ms)",
            "violations": await emulator.violations == DiscordEmulator.Violations() ? 0 : 1]
        if let budget {
            fields["estimated_requests_per_minute"] = budget.idleRequestsPerMinute
            fields["estimated_worst_case_wait_seconds"] = budget.worstCaseWait.seconds
        }
        if mode == .gateway {
            let counts = await emulator.gatewayCounts
            fields["gateway_heartbeats"] = counts.heartbeats
            fields["gateway_identifies"] = counts.identifies
        }
        report(fields)
    }

    /// Polling: every channel has its cursor (the first round is done). Gateway: the session is up and its first
    /// REST catch-up is over (idle from then on).
    static func waitUntilWatching(mode: DiscordConfiguration.Mode, emulator: DiscordEmulator, store: InMemoryStore,
                                  channels: Int) async throws {
        if mode == .poll {
            while await store.cursors(for: .discord).count < channels { try await Task.sleep(for: .milliseconds(50)) }
            return
        }
        while await emulator.gatewayCounts.openConnections < 1 { try await Task.sleep(for: .milliseconds(50)) }
        var last = -1
        while true {
            try await Task.sleep(for: .seconds(2))
            let count = await emulator.recorder.requests.count
            if count == last { return }
            last = count
        }
    }
}
