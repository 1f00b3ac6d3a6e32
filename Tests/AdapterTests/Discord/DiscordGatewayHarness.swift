import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// The engine with the Discord adapter in gateway mode against the emulator (REST and Gateway on one loopback
/// port), on an in-memory store, answering with the deterministic echo responder.
struct DiscordGatewayHarness {
    let emulator: DiscordEmulator
    let guild: DiscordEmulator.Guild
    let channel: DiscordEmulator.Channel
    let alice: DiscordEmulator.User
    let store: InMemoryStore
    let adapter: DiscordAdapter
    let engine: Engine
    let running: Task<Void, any Error>

    static func configuration(_ emulator: DiscordEmulator, messageContent: Bool = false) -> DiscordConfiguration {
        var configuration = DiscordTest.configuration(emulator)
        configuration.mode = .gateway
        configuration.messageContent = messageContent
        return configuration
    }

    static func adapter(_ emulator: DiscordEmulator, store: InMemoryStore = InMemoryStore(),
                        messageContent: Bool = false) -> DiscordAdapter {
        DiscordAdapter(configuration: configuration(emulator, messageContent: messageContent),
                       environment: DiscordTest.environment(state: store))
    }

    /// Starts everything and waits until the Gateway session is up. `prepare` runs before the bot starts.
    static func start(prepare: @Sendable (DiscordEmulator) async -> Void = { _ in }) async throws
        -> DiscordGatewayHarness {
        let emulator = try await DiscordEmulator.start()
        await prepare(emulator)
        let guild = await emulator.addGuild(name: "Subnet friends")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let alice = await emulator.addUser(username: "alice", globalName: "Alice")
        let store = InMemoryStore()
        let adapter = adapter(emulator, store: store)
        let engine = DiscordTest.engine(adapter, store: store, label: "test.discord.gateway")
        let running = Task { try await engine.run() }
        let harness = DiscordGatewayHarness(emulator: emulator, guild: guild, channel: channel, alice: alice,
                                            store: store, adapter: adapter, engine: engine, running: running)
        _ = await harness.waitUntilConnected(identifies: 1)
        return harness
    }

    /// Waits until the Gateway has `identifies` sessions started and one connection with a session is open.
    func waitUntilConnected(identifies: Int = 1, resumes: Int = 0, timeout: Duration = .seconds(20)) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(20)) {
            let counts = await emulator.gatewayCounts
            return counts.identifies >= identifies && counts.resumes >= resumes && counts.openConnections == 1
        }
    }

    func stop() async {
        engine.shutdown()
        _ = try? await running.value
        await adapter.stopGateway()
        await emulator.stop()
    }

    /// `count` mentions of the bot from alice in the harness's channel.
    func mentions(_ count: Int, from first: Int = 0) async throws -> [DiscordEmulator.Message] {
        var result: [DiscordEmulator.Message] = []
        for index in first..<(first + count) {
            result.append(try await emulator.inject("<@\(emulator.bot.id)> question \(index)", from: alice, in: channel))
        }
        return result
    }

    /// How many replies each message got (matched by id).
    func replyCounts(_ messages: [DiscordEmulator.Message]) async -> [Int] {
        let sent = await emulator.sent
        return messages.map { message in sent.filter { $0.replyTo == message.id }.count }
    }
}
