import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import Testing

/// Discord with several replicas sharing the store: the engine counts the send rules in the store, so the global
/// limit is one of them, and a post's 429 goes back to the engine, which blocks its scope for every replica.
@Suite("Discord adapter with a shared store")
struct DiscordSharedStoreTests {
    @Test("the send rules carry the per-channel bucket and the global limit")
    func rulesIncludeGlobalLimit() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let rules = DiscordTest.adapter(emulator).rules.sendRules
        // "All bots can make up to 50 requests per second to our API"
        // (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit).
        #expect(rules.contains(SendRule(.global, limit: 50, per: .seconds(1))))
        #expect(rules.contains(SendRule(.chat, limit: 5, per: .seconds(5))))
    }

    @Test("a post's 429 comes back as rateLimited with its scope (global for the global limit), not retried here")
    func postRateLimitReachesTheEngine() async throws {
        let world = try await DiscordTest.world(shared: true)
        defer { Task { await world.emulator.stop() } }
        let mention = try await world.emulator.inject("<@\(world.emulator.bot.id)> hi", from: world.alice,
                                                      in: world.channel)
        var cursors = world.cursors
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &cursors).first)
        #expect(inbound.platformMessageID == mention.id)
        // A bucket's 429 (the emulator answers with Discord's body: `retry_after`, `global: false`).
        await world.emulator.faults.enqueue(.rateLimited(retryAfterSeconds: 0.5), route: "messages")
        let bucket = await #expect(throws: BotError.self) {
            try await world.adapter.post("one", replyingTo: inbound, part: 0, idempotencyKey: "0")
        }
        #expect(bucket?.code == .rateLimited)
        #expect(bucket?.scope == "chat:\(world.channel.id)")
        #expect((bucket?.retryAfter ?? .zero) >= .milliseconds(500))
        #expect(await world.emulator.sent.isEmpty, "nothing retried behind the engine's back")
        // The global limit (1 per second here): the second post within a second gets the global 429.
        var rates = DiscordEmulator.Rates()
        rates.global = 1
        await world.emulator.setRates(rates)
        try await Task.sleep(for: .milliseconds(600))
        var global: BotError?
        for part in 0..<3 where global == nil {
            do {
                _ = try await world.adapter.post("part \(part)", replyingTo: inbound, part: part,
                                                 idempotencyKey: "\(part)")
            } catch let error as BotError {
                global = error
            }
        }
        let refused = try #require(global, "three posts at 1 per second hit the global limit")
        #expect(refused.code == .rateLimited)
        #expect(refused.scope == "global")
        #expect((refused.retryAfter ?? .zero) > .zero)
    }
}
