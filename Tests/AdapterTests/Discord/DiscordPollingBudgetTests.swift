import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import Testing

/// Idle polling at the default settings (5 s interval, 2 requests/s) against the emulator stays within its budget and
/// still sees every mention. (The figures come from `replytensor-bench discord`.)
@Suite("Discord polling budget")
struct DiscordPollingBudgetTests {
    struct Measurement {
        var requestsPerMinute: Double
        var delays: [Duration]
        var budget: DiscordPollingBudget?
    }

    /// Runs the engine with default polling against `guilds` × `perGuild` channels for `duration`, writing a mention
    /// at random moments; returns idle requests per minute (excluding replies) and mention-to-reply delays.
    func measure(guilds guildCount: Int, perGuild: Int, duration: Duration, mentions: Int) async throws -> Measurement {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<guildCount {
            let guild = await emulator.addGuild(name: "guild \(index)")
            for channel in 0..<perGuild { channels.append(await emulator.addChannel(in: guild, name: "c\(channel)")) }
        }
        let alice = await emulator.addUser(username: "alice")
        let store = InMemoryStore()
        var logger = Logger(label: "test.discord.budget")
        logger.logLevel = .critical
        let configuration = DiscordConfiguration(token: emulator.token, apiBase: emulator.apiBase)
        let adapter = DiscordAdapter(configuration: configuration,
                                     environment: AdapterEnvironment(http: DiscordTest.http(), state: store,
                                                                     logger: logger))
        let engine = Engine(configuration: EngineConfiguration(limits: PolicyLimits(perUserPerHour: 0,
                                                                                   perChatPerMinute: 0,
                                                                                   dailyReplies: 0)),
                            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [],
                            logger: logger)
        let running = Task { try await engine.run() }
        // Past the first round (discovery and first listing), then measure.
        while await store.cursors(for: .discord).count < channels.count {
            try await Task.sleep(for: .milliseconds(50))
        }
        // Idle: nothing happens for `duration`.
        let clock = ContinuousClock()
        let started = clock.now
        let before = await emulator.recorder.requests.count
        try await Task.sleep(for: duration)
        let idleElapsed = clock.now - started
        let idle = await emulator.recorder.requests.dropFirst(before).count
        // Then mentions at random moments, one at a time.
        var delays: [Duration] = []
        var generator = SeededGenerator(seed: UInt64(guildCount * 1000 + perGuild))
        for index in 0..<mentions {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 0...5000, using: &generator)))
            let channel = channels[Int.random(in: 0..<channels.count, using: &generator)]
            let mentionAt = clock.now
            let mention = try await emulator.inject("<@\(emulator.bot.id)> q\(index)", from: alice, in: channel)
            while await emulator.replies(to: mention).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            delays.append(clock.now - mentionAt)
        }
        let budget = await adapter.pollingBudget
        engine.shutdown()
        _ = try? await running.value
        #expect(await emulator.violations == DiscordEmulator.Violations())
        return Measurement(requestsPerMinute: Double(idle) * 60 / idleElapsed.seconds, delays: delays, budget: budget)
    }

    @Test(.timeLimit(.minutes(3))) func fiftyChannelsAtTheDefaults() async throws {
        async let oneGuild = measure(guilds: 1, perGuild: 50, duration: .seconds(15), mentions: 2)
        async let fiveGuilds = measure(guilds: 5, perGuild: 10, duration: .seconds(15), mentions: 2)
        for result in [try await oneGuild, try await fiveGuilds] {
            let budget = try #require(result.budget)
            // Within the budget (never over the configured 2 requests/s), and every mention was answered.
            #expect(result.requestsPerMinute <= budget.idleRequestsPerMinute * 1.15 + 2)
            #expect(result.requestsPerMinute <= 2 * 60 * 1.05)
            #expect(result.delays.count == 2)
        }
    }
}
