import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import Testing
import TelegramPlatform

/// Telegram picks new update ids (after a week without updates, or on another Bot API server): the adapter follows
/// the ids it receives, hears new mentions, and never polls in a loop.
@Suite("Telegram update-id reset")
struct TelegramUpdateResetTests {
    @Test func aResetMovesTheOffsetDownAndNewMentionsArrive() async throws {
        let emulator = try await TelegramEmulator.start(firstUpdateID: 700_000_000)
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()
        try await emulator.inject(text: "before", from: ann)
        let before = try await adapter.poll(cursors: [:])
        #expect(before.cursorUpdates["offset"] == "700000001")

        await emulator.resetUpdateIDs(to: 3_000_000)
        let first = try await emulator.inject(text: "after the reset", from: ann)
        let page = try await adapter.poll(cursors: before.cursorUpdates)
        #expect(page.messages.map(\.platformMessageID) == [String(first.messageId)])
        #expect(page.cursorUpdates["offset"] == "3000001")
        #expect(page.nextPollDelay == .zero)

        // The next mention is heard at once, and the offset taken from the updates confirmed them.
        let second = try await emulator.inject(text: "and another", from: ann)
        let next = try await adapter.poll(cursors: page.cursorUpdates)
        #expect(next.messages.map(\.platformMessageID) == [String(second.messageId)])
        #expect(next.cursorUpdates["offset"] == "3000002")
        #expect(await emulator.confirmedOffset == 3_000_001)
    }

    @Test func switchingToALocalBotAPIServerFollowsItsIds() async throws {
        let cloud = try await TelegramEmulator.start(firstUpdateID: 950_000_000)
        let local = try await TelegramEmulator.start(firstUpdateID: 12_000_000)
        defer { Task { await cloud.stop(); await local.stop() } }
        let ann = await cloud.addUser(username: "ann")
        let localAnn = await local.addUser(username: "ann", id: ann.id)
        try await cloud.inject(text: "on the cloud", from: ann)
        let cursors = try await TelegramTest.adapter(cloud).poll(cursors: [:]).cursorUpdates
        #expect(cursors["offset"] == "950000001")

        let moved = TelegramTest.adapter(local)
        let first = try await local.inject(text: "on the local server", from: localAnn)
        let page = try await moved.poll(cursors: cursors)
        #expect(page.messages.map(\.platformMessageID) == [String(first.messageId)])
        #expect(page.cursorUpdates["offset"] == "12000001")
        let second = try await local.inject(text: "second", from: localAnn)
        #expect(try await moved.poll(cursors: page.cursorUpdates).messages.map(\.platformMessageID)
                    == [String(second.messageId)])
    }

    @Test func aPageThatMovesNothingIsNotFollowedAtOnce() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let adapter = TelegramTest.adapter(emulator, pollTimeout: 0)
        _ = try await adapter.identity()
        let next = await emulator.nextUpdateID
        let empty = try await adapter.poll(cursors: ["offset": String(next)])
        #expect(empty.cursorUpdates.isEmpty)
        #expect(empty.nextPollDelay > .milliseconds(500))
        #expect(empty.nextPollDelay <= TelegramAdapter.idlePollInterval)
    }

    /// The whole engine over a reset: a handful of `getUpdates`, not a loop, and both mentions after the reset
    /// answered by id.
    @Test func theEngineAnswersAcrossAResetWithoutAHotLoop() async throws {
        let emulator = try await TelegramEmulator.start(firstUpdateID: 600_000_000)
        defer { Task { await emulator.stop() } }
        await emulator.setRates(.off)
        let ann = await emulator.addUser(username: "ann")
        let store = InMemoryStore()
        var logger = Logger(label: "test.telegram.reset")
        logger.logLevel = .critical
        let adapter = TelegramAdapter(
            configuration: TelegramConfiguration(token: emulator.token, apiBase: emulator.apiBase, pollTimeoutSeconds: 2),
            environment: AdapterEnvironment(http: TelegramTest.http(), state: store, logger: logger))
        let engine = Engine(configuration: EngineConfiguration(limits: PolicyLimits(perUserPerHour: 0,
                                                                                    perChatPerMinute: 0, dailyReplies: 0)),
                            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [],
                            logger: logger)
        let running = Task { try await engine.run() }

        let before = try await emulator.inject(text: "before the reset", from: ann)
        #expect(await emulator.waitForSent(count: 1))
        #expect(await emulator.replies(to: before).count == 1)

        await emulator.resetUpdateIDs(to: 4_000_000)
        let pollsBefore = await emulator.recorder.requests(path: "getUpdates").count
        let first = try await emulator.inject(text: "after the reset", from: ann)
        #expect(await emulator.waitForSent(count: 2))
        let second = try await emulator.inject(text: "and one more", from: ann)
        #expect(await emulator.waitForSent(count: 3))
        let polls = await emulator.recorder.requests(path: "getUpdates").count - pollsBefore
        #expect(await emulator.replies(to: first).count == 1)
        #expect(await emulator.replies(to: second).count == 1)
        #expect(polls <= 8, "\(polls) getUpdates calls over the reset")
        #expect(await store.cursors(for: .telegram)["offset"].flatMap { Int64($0) } ?? 0 < 4_000_010)
        engine.shutdown()
        _ = try? await running.value
    }
}
