import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// A reply interrupted by a crash is resent by nonce only while Discord still de-duplicates it (a few minutes);
/// later the bot looks for its earlier reply in the channel, and never resends blindly.
@Suite("Discord resend after a crash")
struct DiscordResendTests {
    /// A previous run created the reply to a mention and crashed before recording it, `postingAgo` seconds ago.
    struct Crashed {
        var world: DiscordTest.World
        var mention: DiscordEmulator.Message
        var inbound: InboundMessage
        var store: InMemoryStore
        var earlierReply: String
    }

    static func crashed(postingAgo: TimeInterval) async throws -> Crashed {
        var world = try await DiscordTest.world()
        let mention = try await world.emulator.inject("<@\(world.emulator.bot.id)> what is a subnet?",
                                                      from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        let store = InMemoryStore()
        let posting = Date().addingTimeInterval(-postingAgo)
        _ = await store.admit([inbound], at: posting)
        _ = try await store.claim(inbound.key, at: posting)
        try await store.beginPosting(inbound.key, parts: ["A subnet is a market."], backend: nil, at: posting)
        let earlier = try await world.adapter.post("A subnet is a market.", replyingTo: inbound, part: 0,
                                                   idempotencyKey: "\(inbound.key):0")
        return Crashed(world: world, mention: mention, inbound: inbound, store: store, earlierReply: earlier)
    }

    /// Starts the engine on `store` (it resumes what is in `posting`) and stops it once the mention has left it.
    static func resume(_ crashed: Crashed) async throws -> LedgerEntry {
        var logger = Logger(label: "test.discord.resend")
        logger.logLevel = .critical
        let adapter = DiscordAdapter(configuration: DiscordTest.configuration(crashed.world.emulator),
                                     environment: DiscordTest.environment(state: crashed.store))
        let engine = Engine(configuration: EngineConfiguration(), store: crashed.store, adapters: [adapter],
                            responder: InMemoryResponder.echo(), plugins: [], logger: logger)
        let running = Task { try await engine.run() }
        let key = crashed.inbound.key
        _ = await Polling.wait(timeout: .seconds(15)) { await crashed.store.entry(key)?.state != .posting }
        engine.shutdown()
        _ = try? await running.value
        return try #require(await crashed.store.entry(key))
    }

    @Test func pastTheNonceWindowTheEarlierReplyIsFoundNotResent() async throws {
        let crashed = try await Self.crashed(postingAgo: 180)
        let emulator = crashed.world.emulator
        defer { Task { await emulator.stop() } }
        await emulator.setNonceWindow(.zero)  // Discord has forgotten the nonce by now
        let entry = try await Self.resume(crashed)
        #expect(entry.state == .answered)
        #expect(entry.replyIDs == [crashed.earlierReply])
        #expect(await emulator.replies(to: crashed.mention).map(\.message.id) == [crashed.earlierReply])
        #expect(await emulator.dedupedResends == 0)
    }

    @Test func pastTheNonceWindowAChannelThatCannotBeReadLeavesTheMentionUnknown() async throws {
        let crashed = try await Self.crashed(postingAgo: 180)
        let emulator = crashed.world.emulator
        defer { Task { await emulator.stop() } }
        await emulator.setNonceWindow(.zero)
        // Without READ_MESSAGE_HISTORY the channel reads as empty: that must not pass for "no reply yet".
        await emulator.denyBot(1 << 16, in: crashed.world.channel)
        let entry = try await Self.resume(crashed)
        #expect(entry.state == .unknown)
        #expect(await emulator.replies(to: crashed.mention).count == 1)
    }

    @Test func withinTheNonceWindowTheResendIsDeduplicatedByNonce() async throws {
        let crashed = try await Self.crashed(postingAgo: 10)
        let emulator = crashed.world.emulator
        defer { Task { await emulator.stop() } }
        let entry = try await Self.resume(crashed)
        #expect(entry.state == .answered)
        #expect(entry.replyIDs == [crashed.earlierReply])
        #expect(await emulator.dedupedResends == 1)
        #expect(await emulator.replies(to: crashed.mention).count == 1)
    }

    @Test func aRetryInTheSameRunPastTheNonceWindowLooksBeforeSending() async throws {
        var world = try await DiscordTest.world()
        let emulator = world.emulator
        defer { Task { await emulator.stop() } }
        let mention = try await emulator.inject("<@\(emulator.bot.id)> hi", from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        var configuration = DiscordTest.configuration(emulator)
        configuration.nonceResendWindow = .zero
        configuration.maxTries = 1
        let adapter = DiscordAdapter(configuration: configuration, environment: DiscordTest.environment())
        _ = try await adapter.identity()
        // The message is created but its answer is lost on the way.
        await emulator.dropPostAnswers()
        await #expect(throws: BotError.self) {
            try await adapter.post("hello", replyingTo: inbound, part: 0, idempotencyKey: "\(inbound.key):0")
        }
        #expect(await emulator.replies(to: mention).count == 1)
        await emulator.setNonceWindow(.zero)
        let id = try await adapter.post("hello", replyingTo: inbound, part: 0, idempotencyKey: "\(inbound.key):0")
        #expect(await emulator.replies(to: mention).map(\.message.id) == [id])
    }
}
