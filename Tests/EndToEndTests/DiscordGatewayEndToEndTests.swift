import Foundation
import ReplyTensorEmulators
import Testing

/// The real `replytensor` binary with `[discord] mode = "gateway"` against the emulated Gateway.
@Suite("Discord Gateway end to end (real binary)", .serialized)
struct DiscordGatewayEndToEndTests {
    static let gatewayMode = "mode = \"gateway\""

    static func waitUntilConnected(_ world: DiscordWorld, identifies: Int) async -> Bool {
        await DiscordWorld.wait(timeout: .seconds(30)) {
            let counts = await world.discord.gatewayCounts
            return counts.identifies >= identifies && counts.openConnections == 1
        }
    }

    @Test("a guild mention and a DM answered once; kill -9 mid-burst and restart: nothing lost or doubled")
    func mentionsDirectMessagesAndKillNine() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(discordExtra: Self.gatewayMode)
        let discord = world.discord
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<3 { channels.append(await discord.addChannel(in: world.guild, name: "room-\(index)")) }
        let alice = await discord.addUser(username: "alice", globalName: "Alice")
        let dm = await discord.openDM(with: alice)
        let first = try world.startBot()
        #expect(await Self.waitUntilConnected(world, identifies: 1))
        var messages = [try await discord.inject("<@\(discord.bot.id)> hello from a guild", from: alice, in: channels[0]),
                        try await discord.inject("hello in private", from: alice, in: dm)]
        #expect(await discord.waitForSent(count: 2, timeout: .seconds(20)))
        // A burst; the bot is killed while answering it, and more arrives while it is down (guild and DM).
        await discord.setPostAnswerDelay(.milliseconds(300))
        for round in 0..<10 {
            for channel in channels {
                messages.append(try await discord.inject("<@\(discord.bot.id)> burst \(round)", from: alice, in: channel))
            }
        }
        #expect(await discord.waitForSent(count: 8, timeout: .seconds(30)))
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        await discord.setPostAnswerDelay(.zero)
        for round in 0..<3 {
            messages.append(try await discord.inject("<@\(discord.bot.id)> while down \(round)", from: alice,
                                                     in: channels[round]))
        }
        messages.append(try await discord.inject("are you back?", from: alice, in: dm))
        let second = try world.startBot()
        let settled = await DiscordWorld.wait(timeout: .seconds(90)) {
            await world.replyCounts(messages).allSatisfy { $0 >= 1 }
        }
        #expect(settled)
        try await Task.sleep(for: .seconds(1))
        second.signal(SIGTERM)
        let status = await second.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "exit \(String(describing: status)):\n\(second.output.suffix(1500))")
        #expect(await world.replyCounts(messages) == Array(repeating: 1, count: messages.count))
        #expect(await discord.violations == DiscordEmulator.Violations())
        #expect(await discord.gatewayCounts.identifies == 2)
        let state = try await world.status()["platform_state"] as? [String: [String: String]]
        #expect(state?["discord"]?["gateway.state"] != nil)
        #expect(state?["discord"]?["gateway.events_received"] != nil)
        #expect(try await world.ledger()["answered"] == messages.count)
    }

    @Test("close 4014 (MESSAGE_CONTENT not enabled): the binary stops with the advice, exit 1")
    func disallowedIntentStopsTheBinary() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(discordExtra: Self.gatewayMode + "\nmessage_content = true")
        let bot = try world.startBot()
        let status = await bot.waitForExit(timeout: .seconds(30))
        #expect(status == 1)
        #expect(bot.output.contains("enable the Message Content intent in the Developer Portal or set message_content = false"))
        #expect(!bot.output.contains(world.discord.token))
    }
}
