import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import Testing
import TelegramPlatform

/// In a forum topic every message carries the topic's creation message as `reply_to_message`; that is no reply.
@Suite("Telegram forum topics")
struct TelegramForumTopicTests {
    @Test func inATopicTheBotCreatedOnlyAddressedMessagesCount() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setRates(.off)
        let ann = await emulator.addUser(username: "ann")
        let forum = await emulator.addGroup(title: "Forum", forum: true)
        let topic = try await emulator.addTopic(in: forum, name: "Bot news")
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()

        let chatter = try await emulator.inject(text: "nice weather in here", from: ann, in: forum, threadID: topic)
        #expect(chatter.replyToMessage?.message.messageId == topic)
        let mention = try await emulator.inject(text: "@ReplyTensorBot what is new?", from: ann, in: forum,
                                                threadID: topic)
        let page = try await adapter.poll(cursors: [:])
        #expect(page.messages.map(\.platformMessageID) == [String(mention.messageId)])
        let inbound = try #require(page.messages.first)
        #expect(inbound.addressedAs == .mention)
        #expect(inbound.replyTo == nil)
        #expect(try await adapter.context(of: inbound, depth: 4).isEmpty)

        // A real reply to the bot's answer in the topic is still a reply, with its context.
        let answer = try await adapter.post("All quiet.", replyingTo: inbound, part: 0, idempotencyKey: "k")
        let sent = try #require(await emulator.sent.first)
        let followUp = try await emulator.inject(text: "thanks", from: ann, in: forum, replyTo: sent.message,
                                                 threadID: topic)
        let next = try await adapter.poll(cursors: page.cursorUpdates)
        #expect(next.messages.map(\.platformMessageID) == [String(followUp.messageId)])
        #expect(next.messages.first?.addressedAs == .reply)
        #expect(next.messages.first?.replyTo?.id == answer)
    }

    @Test func aMentionInAUsersTopicHasNoEmptyParentTurn() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let forum = await emulator.addGroup(title: "Forum", forum: true)
        let topic = try await emulator.addTopic(in: forum, name: "Questions", createdBy: ann)
        let adapter = TelegramTest.adapter(emulator)
        _ = try await adapter.identity()
        let mention = try await emulator.inject(text: "@ReplyTensorBot hello", from: ann, in: forum, threadID: topic)
        // The topic's creation message is an update of its own (a service message, not addressed): skipped.
        let page = try await adapter.poll(cursors: [:])
        #expect(page.messages.map(\.platformMessageID) == [String(mention.messageId)])
        #expect(page.messages.first?.replyTo == nil)
        #expect(page.messages.first?.chat.threadID == String(topic))
    }
}
