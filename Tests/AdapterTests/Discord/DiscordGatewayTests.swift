import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// The Discord adapter in gateway mode against the emulated Gateway: mentions and DMs over MESSAGE_CREATE, resumes
/// with replay, re-identify plus REST catch-up, heartbeats without ACK, fatal close codes and the session start
/// limit.
@Suite("Discord Gateway", .serialized)
struct DiscordGatewayTests {
    @Test("a mention in a guild channel and a DM are answered once each; noise, and the bot's own DM replies, never")
    func guildMentionAndDirectMessage() async throws {
        let harness = try await DiscordGatewayHarness.start()
        let emulator = harness.emulator
        let dm = await emulator.openDM(with: harness.alice)
        let mention = try await emulator.inject("<@\(emulator.bot.id)> what is a subnet?", from: harness.alice,
                                                in: harness.channel)
        let noise = try await emulator.inject("just talking", from: harness.alice, in: harness.channel)
        let direct = try await emulator.inject("hello in private", from: harness.alice, in: dm)
        #expect(await emulator.waitForSent(count: 2, timeout: .seconds(20)))
        // The bot's own replies come back as MESSAGE_CREATE (in the DM with full content): they must not be answered.
        try await Task.sleep(for: .milliseconds(500))
        await harness.stop()
        #expect(await harness.replyCounts([mention, direct, noise]) == [1, 1, 0])
        #expect(await emulator.sent.count == 2)
        let directReply = try #require(await emulator.replies(to: direct).first)
        #expect(directReply.channelID == dm.id)
        #expect(directReply.text.contains("hello in private"))
        #expect(await emulator.violations == DiscordEmulator.Violations())
        #expect(await harness.store.cursors(for: .discord)[DiscordAdapter.directScope(dm.id)] != nil)
        #expect(await emulator.gatewayCounts.identifies == 1)
    }

    @Test("the socket dropped in the middle of a burst: the session is resumed, nothing lost or doubled")
    func droppedSocketResumes() async throws {
        let harness = try await DiscordGatewayHarness.start()
        let emulator = harness.emulator
        var mentions = try await harness.mentions(10)
        await emulator.gatewayFault(.dropSocket)
        mentions += try await harness.mentions(10, from: 10)
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(30)))
        try await Task.sleep(for: .milliseconds(300))
        await harness.stop()
        #expect(await harness.replyCounts(mentions) == Array(repeating: 1, count: mentions.count))
        let counts = await emulator.gatewayCounts
        #expect(counts.resumes >= 1)
        #expect(counts.resumesOnResumeURL == counts.resumes)
        #expect(counts.identifies == 1)
        #expect(await harness.adapter.gatewayStatus?.resumes ?? 0 >= 1)
    }

    @Test("a non-resumable invalid session during a burst: re-identify, REST catch-up, nothing lost or doubled")
    func invalidSessionCatchesUp() async throws {
        let harness = try await DiscordGatewayHarness.start()
        let emulator = harness.emulator
        let dm = await emulator.openDM(with: harness.alice)
        var mentions = try await harness.mentions(5)
        mentions.append(try await emulator.inject("first DM", from: harness.alice, in: dm))
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(20)))
        await emulator.gatewayFault(.invalidSession(resumable: false))
        // No session exists until the bot identifies again: these reach the bot only by the REST catch-up.
        mentions += try await harness.mentions(10, from: 5)
        mentions.append(try await emulator.inject("second DM", from: harness.alice, in: dm))
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(40)))
        try await Task.sleep(for: .milliseconds(300))
        await harness.stop()
        #expect(await harness.replyCounts(mentions) == Array(repeating: 1, count: mentions.count))
        #expect(await emulator.sent.count == mentions.count)
        #expect(await emulator.gatewayCounts.identifies == 2)
        #expect(await emulator.violations == DiscordEmulator.Violations())
    }

    @Test("heartbeats without ACK: the connection is closed and resumed")
    func missedACKsReconnect() async throws {
        let harness = try await DiscordGatewayHarness.start { emulator in
            await emulator.setHeartbeatInterval(.milliseconds(200))
        }
        let emulator = harness.emulator
        await emulator.gatewayFault(.stopACKing)
        #expect(await harness.waitUntilConnected(resumes: 1))
        await emulator.gatewayFault(.resumeACKing)
        let mentions = try await harness.mentions(3)
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(20)))
        await harness.stop()
        #expect(await harness.replyCounts(mentions) == [1, 1, 1])
        #expect(await emulator.gatewayCounts.identifies == 1)
        #expect(await harness.adapter.gatewayStatus?.reconnects ?? 0 >= 1)
    }

    @Test("op 7 Reconnect: resumed on the resume URL")
    func reconnectRequest() async throws {
        let harness = try await DiscordGatewayHarness.start()
        let emulator = harness.emulator
        await emulator.gatewayFault(.reconnect)
        #expect(await harness.waitUntilConnected(resumes: 1))
        let mentions = try await harness.mentions(2)
        #expect(await emulator.waitForSent(count: 2, timeout: .seconds(20)))
        await harness.stop()
        #expect(await harness.replyCounts(mentions) == [1, 1])
        #expect(await emulator.gatewayCounts.resumesOnResumeURL >= 1)
    }

    @Test("MESSAGE_CONTENT asked for but not enabled: close 4014 stops the adapter with the documented advice")
    func disallowedIntentStops() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        _ = await emulator.addGuild(name: "g")
        let adapter = DiscordGatewayHarness.adapter(emulator, messageContent: true)
        let error = try await Self.pollUntilError(adapter)
        #expect(error.code == .platformStopped)
        #expect(error.message.contains("enable the Message Content intent in the Developer Portal or set "
            + "message_content = false"))
        #expect(await emulator.gatewayCounts.identifies == 0)
    }

    @Test("close 4004: the adapter stops with the token message, the token never in it")
    func authenticationFailedStops() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        _ = await emulator.addGuild(name: "g")
        let adapter = DiscordGatewayHarness.adapter(emulator)
        _ = try await adapter.identity()
        _ = try await adapter.poll(cursors: [:])
        #expect(await Polling.wait(timeout: .seconds(10)) { await emulator.gatewayCounts.openConnections == 1 })
        await emulator.gatewayFault(.close(4004))
        let error = try await Self.pollUntilError(adapter)
        #expect(error.code == .platformStopped)
        #expect(error.message.contains("4004"))
        #expect(error.message.contains("check"))
        #expect(!error.message.contains(emulator.token))
    }

    @Test("no session starts left: identify is refused and the error says when they reset")
    func identifyRefusedWithoutStarts() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        _ = await emulator.addGuild(name: "g")
        await emulator.setGatewayStarts(remaining: 0, total: 1000, resetAfter: .seconds(3600))
        let adapter = DiscordGatewayHarness.adapter(emulator)
        let error = try await Self.pollUntilError(adapter)
        #expect(error.code == .rateLimited)
        #expect(error.message.contains("reset"))
        #expect(error.message.contains("3600 s"))
        #expect(error.retryAfter == .seconds(3600))
        let counts = await emulator.gatewayCounts
        #expect(counts.identifies == 0)
        #expect(counts.identifiesOverLimit == 0)
        #expect(await adapter.gatewayStatus?.state == "waiting")
    }

    @Test("check in gateway mode: shards, starts left, and a warning when MESSAGE_CONTENT is asked but not enabled")
    func checkReportsGateway() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        _ = await emulator.addGuild(name: "g")
        await emulator.setGatewayStarts(remaining: 998)
        let report = try await DiscordGatewayHarness.adapter(emulator, messageContent: true).verify()
        let gateway = try #require(report.gateway)
        #expect(gateway.shards == 1)
        #expect(gateway.startsRemaining == 998)
        #expect(gateway.requested.contains(.messageContent))
        #expect(!gateway.messageContentEnabled)
        #expect(report.warnings.contains { $0.contains("MESSAGE_CONTENT") && $0.contains("4014") })
        await emulator.setMessageContentEnabled(true)
        let enabled = try await DiscordGatewayHarness.adapter(emulator, messageContent: true).verify()
        #expect(enabled.gateway?.messageContentEnabled == true)
        #expect(!enabled.warnings.contains { $0.contains("MESSAGE_CONTENT") })
        #expect(await emulator.gatewayCounts.identifies == 0)
    }

    /// Polls (as the engine does) until a poll throws; fails after 20 polls.
    static func pollUntilError(_ adapter: DiscordAdapter) async throws -> BotError {
        _ = try await adapter.identity()
        var cursors: [String: String] = [:]
        for _ in 0..<20 {
            do {
                let page = try await adapter.poll(cursors: cursors)
                cursors.merge(page.cursorUpdates) { _, new in new }
            } catch let error as BotError {
                return error
            }
        }
        Issue.record("no poll failed")
        throw CancellationError()
    }
}
