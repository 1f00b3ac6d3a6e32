import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// The engine with the Discord adapter against the emulator.
@Suite("Discord engine")
struct DiscordEngineTests {
    @Test func mentionsInSeveralChannelsAreAnsweredOnceWithoutViolations() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<4 { channels.append(await emulator.addChannel(in: guild, name: "c\(index)")) }
        let users = [await emulator.addUser(username: "ann"), await emulator.addUser(username: "bob")]
        let store = InMemoryStore()
        var logger = Logger(label: "test.discord.engine")
        logger.logLevel = .critical
        let adapter = DiscordAdapter(configuration: DiscordTest.configuration(emulator),
                                     environment: AdapterEnvironment(http: DiscordTest.http(), state: store,
                                                                     logger: logger))
        let engine = DiscordTest.engine(adapter, store: store, label: "test.discord.engine")
        let running = Task { try await engine.run() }
        // Wait for the first round (cursors from "now").
        _ = await Polling.wait(timeout: .seconds(10)) { await store.cursors(for: .discord).count >= channels.count }
        var mentions: [DiscordEmulator.Message] = []
        for round in 0..<6 {
            for (index, channel) in channels.enumerated() {
                let user = users[(round + index) % users.count]
                mentions.append(try await emulator.inject("<@\(emulator.bot.id)> q\(round)", from: user, in: channel))
                try await emulator.inject("noise \(round)", from: user, in: channel)
            }
        }
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(40)))
        try await Task.sleep(for: .milliseconds(300))
        engine.shutdown()
        _ = try? await running.value
        #expect(await emulator.sent.count == mentions.count)
        for mention in mentions { #expect(await emulator.replies(to: mention).count == 1) }
        #expect(await emulator.violations == DiscordEmulator.Violations())
        #expect(await store.values(for: .discord)["poll.mention_wait_seconds"] != nil)
    }
}
