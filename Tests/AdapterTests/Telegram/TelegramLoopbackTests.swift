import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing
import TelegramPlatform

/// The adapter against the Telegram emulator over 127.0.0.1.
@Suite("Telegram loopback")
struct TelegramLoopbackTests {
    @Test func pollDeliversInjectedMessagesAndOffsetsConfirm() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann", firstName: "Ann")
        let group = await emulator.addGroup(title: "Friends")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()

        let mention = try await emulator.inject(text: "hey @ReplyTensorBot what's up?", from: ann, in: group)
        try await emulator.inject(text: "nothing for the bot", from: ann, in: group)
        let direct = try await emulator.inject(text: "hi in private", from: ann)

        let page = try await adapter.poll(cursors: [:])
        #expect(page.messages.map(\.id) == ["\(group.id):\(mention.messageId)", "\(ann.id):\(direct.messageId)"])
        #expect(page.messages.first?.text == "hey what's up?")
        #expect(page.nextPollDelay == .zero)
        let offset = try #require(page.cursorUpdates["offset"])

        // Polling again from the old cursor re-delivers (nothing confirmed yet) — one update only, as the Bot API
        // server answers an offset repeated within 0.5 s; from the new cursor, nothing.
        let again = try await adapter.poll(cursors: [:])
        #expect(again.messages.map(\.id) == ["\(group.id):\(mention.messageId)"])
        let empty = try await adapter.poll(cursors: page.cursorUpdates)
        #expect(empty.messages.isEmpty)
        #expect(await emulator.pendingUpdateCount == 0)
        #expect(await emulator.confirmedOffset == Int64(offset))

        let getUpdates = await emulator.recorder.requests(path: "getUpdates")
        let body = try #require(getUpdates.last?.json)
        #expect(body["limit"] as? Int == 100)
        #expect(body["timeout"] as? Int == 1)
        #expect(body["allowed_updates"] as? [String] == ["message"])
    }

    @Test func longPollReturnsWhenAMessageArrives() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let adapter = TelegramTest.adapter(emulator, pollTimeout: 20)
        _ = try await adapter.identity()
        let clock = ContinuousClock()
        let start = clock.now
        async let page = adapter.poll(cursors: [:])
        try await Task.sleep(for: .milliseconds(400))
        try await emulator.inject(text: "wake up", from: ann)
        let result = try await page
        let elapsed = start.duration(to: clock.now)
        #expect(result.messages.map(\.text) == ["wake up"])
        #expect(elapsed >= .milliseconds(350))
        #expect(elapsed < .seconds(5))
    }

    @Test func longPollTimesOutEmpty() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let adapter = TelegramTest.adapter(emulator, pollTimeout: 1)
        let clock = ContinuousClock()
        let start = clock.now
        let page = try await adapter.poll(cursors: ["offset": "5"])
        #expect(page.messages.isEmpty)
        #expect(page.cursorUpdates.isEmpty)
        #expect(start.duration(to: clock.now) >= .milliseconds(900))
    }

    @Test func postRepliesWithReplyParametersAndTyping() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let forum = await emulator.addGroup(title: "Forum", forum: true)
        let topic = try await emulator.addTopic(in: forum)
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()
        let mention = try await emulator.inject(text: "@ReplyTensorBot explain", from: ann, in: forum, threadID: topic)
        let first = try await adapter.poll(cursors: [:])
        let inbound = try #require(first.messages.first)
        #expect(inbound.chat.threadID == String(topic))

        try await adapter.indicateTyping(for: inbound)
        let id = try await adapter.post("Here is *the* answer <b>", replyingTo: inbound, part: 0, idempotencyKey: "k0")

        let sent = try #require(await emulator.sent.first)
        #expect(id == String(sent.message.messageId))
        #expect(sent.replyToMessageID == mention.messageId)
        #expect(sent.allowSendingWithoutReply == true)
        #expect(sent.messageThreadID == topic)
        #expect(sent.parseMode == nil)
        #expect(sent.linkPreviewDisabled == true)
        #expect(sent.text == "Here is *the* answer <b>")
        #expect(await emulator.replies(to: mention).count == 1)
        let action = try #require(await emulator.chatActions.first)
        #expect(action.action == "typing")
        #expect(action.messageThreadID == topic)

        // The user replies to the bot's message: addressed as a reply, with context.
        let followUp = try await emulator.inject(text: "why?", from: ann, in: forum, replyTo: sent.message, threadID: topic)
        let next = try #require(try await adapter.poll(cursors: first.cursorUpdates).messages.last)
        #expect(next.platformMessageID == String(followUp.messageId))
        #expect(next.addressedAs == .reply)
        let context = try await adapter.context(of: next, depth: 4)
        #expect(context.map(\.platformMessageID) == [id])
        #expect(context.map(\.id) == ["\(forum.id):\(id)"])
        #expect(next.replyTo?.id == id)
        #expect(context.first?.text == "Here is *the* answer <b>")
        #expect(context.first?.author.isBot == true)
        #expect(try await adapter.context(of: next, depth: 0).isEmpty)
    }

    @Test func rateLimitBecomesRateLimitedWithScope() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await emulator.inject(text: "hi", from: ann)
        let inbound = try #require(try await adapter.poll(cursors: [:]).messages.first)
        _ = try await adapter.post("one", replyingTo: inbound, part: 0, idempotencyKey: "a")
        let error = await #expect(throws: BotError.self) {
            try await adapter.post("two", replyingTo: inbound, part: 1, idempotencyKey: "b")
        }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfter == .seconds(1))
        #expect(error?.scope == "chat:\(ann.id)")
        #expect(await emulator.violations.ruleExcess == 1)

        await emulator.faults.enqueue(.rateLimited(retryAfterSeconds: 7), route: "getUpdates")
        let pollError = await #expect(throws: BotError.self) { try await adapter.poll(cursors: [:]) }
        #expect(pollError?.code == .rateLimited)
        #expect(pollError?.retryAfter == .seconds(7))
        #expect(pollError?.scope == "global")
    }

    @Test func migrationIsFollowedAndRecorded() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setRates(.off)
        let ann = await emulator.addUser(username: "ann")
        let group = await emulator.addGroup(title: "Old group")
        let state = TelegramTestState()
        let adapter = TelegramTest.adapter(emulator, state: state)
        _ = try await emulator.inject(text: "@ReplyTensorBot hello", from: ann, in: group)
        let inbound = try #require(try await adapter.poll(cursors: [:]).messages.first)
        let supergroup = try await emulator.upgradeToSupergroup(group)

        let id = try await adapter.post("answer", replyingTo: inbound, part: 0, idempotencyKey: "a")
        #expect(Int64(id) != nil)
        #expect(try await state.value("migrated.\(group.id)", for: .telegram) == String(supergroup.id))
        _ = try await adapter.post("second", replyingTo: inbound, part: 1, idempotencyKey: "b")
        try await adapter.indicateTyping(for: inbound)
        let statuses = await emulator.recorder.requests(path: "sendMessage").map(\.status)
        #expect(statuses == [400, 200, 200])
        #expect(await emulator.sent.map(\.chatID) == [supergroup.id, supergroup.id])
    }

    @Test func unauthorizedIsClearAndSecretFree() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let wrong = "7000000001:WRONG-secret-value-abcdefghijkl"
        let adapter = TelegramTest.adapter(emulator, token: wrong)
        let error = await #expect(throws: BotError.self) { try await adapter.identity() }
        #expect(error?.code == .platformStopped)
        #expect(error?.message == "Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN")
        #expect(error?.description.contains("WRONG-secret") == false)
        let pollError = await #expect(throws: BotError.self) { try await adapter.poll(cursors: [:]) }
        #expect(pollError?.code == .platformStopped)
    }

    @Test func blockedUserIsPermanent() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await emulator.inject(text: "hi", from: ann)
        let inbound = try #require(try await adapter.poll(cursors: [:]).messages.first)
        await emulator.setBlocked(ann)
        let error = await #expect(throws: BotError.self) {
            try await adapter.post("answer", replyingTo: inbound, part: 0, idempotencyKey: "a")
        }
        #expect(error?.code == .forbidden)
        #expect(error?.isPermanent == true)
        #expect(error?.message.contains("bot was blocked by the user") == true)
        #expect(error?.delivery == .notDelivered)
    }

    @Test func webhookConflictDeletesOnlyWhenEnabled() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        await emulator.setWebhook("https://example.invalid/hook")
        _ = try await emulator.inject(text: "hi", from: ann)

        let cautious = TelegramTest.adapter(emulator)
        let error = await #expect(throws: BotError.self) { try await cautious.poll(cursors: [:]) }
        #expect(error?.httpStatus == 409)
        #expect(error?.code == .platform)
        #expect(error?.message.contains("delete_webhook = true") == true)
        #expect(await emulator.deleteWebhookCalls == 0)
        #expect(await emulator.webhookURL != nil)

        let bold = TelegramTest.adapter(emulator, deleteWebhook: true)
        let page = try await bold.poll(cursors: [:])
        #expect(page.messages.map(\.text) == ["hi"])
        #expect(await emulator.deleteWebhookCalls == 1)
        #expect(await emulator.webhookURL == nil)
    }

    @Test func secondPollerConflict() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let first = TelegramTest.adapter(emulator, pollTimeout: 5)
        let second = TelegramTest.adapter(emulator, pollTimeout: 1)
        _ = try await first.identity()
        _ = try await second.identity()
        async let firstPoll = Result { try await first.poll(cursors: [:]) }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await second.poll(cursors: [:])
        let error = try #require(await firstPoll.failure as? BotError)
        #expect(error.httpStatus == 409)
        #expect(error.message.contains("another process is polling"))
        #expect(await emulator.conflicts == 1)
    }

    @Test func malformedAnswerKeepsTheCursorThenRecovers() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()
        _ = try await emulator.inject(text: "one", from: ann)
        await emulator.faults.enqueue(.malformedJSON, route: "getUpdates")
        let broken = try await adapter.poll(cursors: ["offset": "100000"])
        #expect(broken.messages.isEmpty)
        #expect(broken.rejected.count == 1)
        #expect(broken.cursorUpdates.isEmpty)
        let page = try await adapter.poll(cursors: ["offset": "100000"])
        #expect(page.messages.map(\.text) == ["one"])

        // A malformed update among good ones: rejected, the rest delivered, the cursor past all of them.
        let bad = await emulator.injectRawUpdate { #"{"update_id":\#($0),"message":{"message_id":"x"}}"# }
        _ = try await emulator.inject(text: "two", from: ann)
        let mixed = try await adapter.poll(cursors: page.cursorUpdates)
        #expect(mixed.messages.map(\.text) == ["two"])
        #expect(mixed.rejected.count == 1)
        #expect(mixed.cursorUpdates["offset"] == String(bad + 2))
    }

    @Test func serverErrorsAndDroppedConnectionsAreRetryable() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()
        await emulator.faults.enqueue(.status(502), route: "getUpdates")
        let error = await #expect(throws: BotError.self) { try await adapter.poll(cursors: [:]) }
        #expect(error?.isRetryable == true)
        #expect(error?.httpStatus == 502)
        await emulator.faults.enqueue(.dropConnection, route: "getUpdates")
        let dropped = await #expect(throws: BotError.self) { try await adapter.poll(cursors: [:]) }
        #expect(dropped.map { $0.code == .transport || $0.code == .decoding } == true)
        _ = try await adapter.poll(cursors: [:])
    }
}

extension Result {
    init(catching body: () async throws -> Success) async where Failure == any Error {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
