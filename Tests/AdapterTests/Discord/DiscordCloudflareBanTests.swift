import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// A 429 without Discord's JSON body is Cloudflare banning the IP: every request stops for the hold.
@Suite("Discord Cloudflare ban")
struct DiscordCloudflareBanTests {
    @Test func aBanHoldsEveryRequestAcrossRoutesAndRestartsThenPollingResumes() async throws {
        var world = try await DiscordTest.world()
        let emulator = world.emulator
        defer { Task { await emulator.stop() } }
        _ = try await emulator.inject("<@\(emulator.bot.id)> hi", from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        var configuration = DiscordTest.configuration(emulator)
        configuration.cloudflareBanHold = .seconds(2)
        let state = InMemoryStore()
        let adapter = DiscordAdapter(configuration: configuration, environment: DiscordTest.environment(state: state))
        _ = try await adapter.identity()
        await emulator.banIP(for: .seconds(1))
        let before = await emulator.recorder.requests.count
        let cursors = world.cursors
        let pollError = await #expect(throws: BotError.self) { try await adapter.poll(cursors: cursors) }
        #expect(pollError?.code == .rateLimited)
        #expect(pollError?.scope == "global")
        #expect((pollError?.retryAfter ?? .zero) >= .seconds(1))
        // Exactly the one request Cloudflare answered reached the server.
        #expect(await emulator.recorder.requests.count == before + 1)
        #expect(await emulator.recorder.requests.last?.status == 429)
        // Posts, other routes and a restarted adapter are held without touching the network.
        let postError = await #expect(throws: BotError.self) {
            try await adapter.post("hello", replyingTo: inbound, part: 0, idempotencyKey: "\(inbound.key):0")
        }
        #expect(postError?.code == .rateLimited)
        #expect(await state.value(DiscordAdapter.banKey, for: .discord) != nil)
        let restarted = DiscordAdapter(configuration: configuration, environment: DiscordTest.environment(state: state))
        await #expect(throws: BotError.self) { try await restarted.identity() }
        #expect(await emulator.recorder.requests.count == before + 1)
        #expect(await emulator.sent.isEmpty)
        // When the hold is over, requests flow again.
        let resumed = await Polling.wait(timeout: .seconds(10), every: .milliseconds(200)) {
            (try? await adapter.poll(cursors: cursors)) != nil
        }
        #expect(resumed)
    }
}
