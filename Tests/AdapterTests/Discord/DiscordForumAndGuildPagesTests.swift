import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import Testing

/// Forum posts (a thread whose starter message has the thread's id) and bots in more than 200 guilds.
@Suite("Discord forum posts and guild pages")
struct DiscordForumAndGuildPagesTests {
    @Test func aNewForumPostIsReadFromItsStarterMessageAndAnsweredInThePost() async throws {
        var world = try await DiscordTest.world()
        let emulator = world.emulator
        defer { Task { await emulator.stop() } }
        let bot = emulator.bot
        let forum = await emulator.addForum(in: world.guild, name: "help")
        let (post, starter) = try await emulator.addPost(in: forum, title: "Payouts",
                                                         content: "<@\(bot.id)> how are miners paid?", from: world.alice)
        #expect(starter.id == post.id)
        #expect(starter.channelID == post.id)
        let follow = try await emulator.inject("<@\(bot.id)> and validators?", from: world.alice, in: post)
        // The first round sees the new post (a thread) and places its cursor; the next one reads it.
        let messages = try await DiscordTest.poll(world.adapter, cursors: &world.cursors, rounds: 2)
        #expect(messages.map(\.id) == [starter.id, follow.id])
        let inbound = try #require(messages.first)
        #expect(inbound.text == "how are miners paid?")
        #expect(inbound.chat.id == post.id)
        #expect(inbound.chat.kind == .thread)
        let replyID = try await world.adapter.post("They are paid in TAO.", replyingTo: inbound, part: 0,
                                                   idempotencyKey: "\(inbound.key):0")
        let replies = await emulator.replies(to: starter)
        #expect(replies.map(\.message.id) == [replyID])
        #expect(replies.first?.channelID == post.id)
        #expect(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).isEmpty)
        // The forum itself is never read: messages cannot be sent to it, only posts live in it.
        #expect(await emulator.recorder.requests(path: "/channels/\(forum.id)/messages").isEmpty)
    }

    @Test func guildsBeyondTheFirstPageOf200AreWatched() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        var guilds: [DiscordEmulator.Guild] = []
        for index in 0..<201 { guilds.append(await emulator.addGuild(name: "guild \(index)")) }
        let last = try #require(guilds.last)
        let channel = await emulator.addChannel(in: last, name: "general")
        let alice = await emulator.addUser(username: "alice")
        let adapter = DiscordAdapter(configuration: DiscordTest.configuration(emulator, guilds: [last.id]),
                                     environment: DiscordTest.environment())
        _ = try await adapter.identity()
        var cursors: [String: String] = [:]
        _ = try await DiscordTest.poll(adapter, cursors: &cursors)
        #expect(cursors[DiscordAdapter.cursorScope(channel.id)] != nil, "the 201st guild was never listed")
        let mention = try await emulator.inject("<@\(emulator.bot.id)> anyone here?", from: alice, in: channel)
        #expect(try await DiscordTest.poll(adapter, cursors: &cursors).map(\.id) == [mention.id])
        let pages = await emulator.recorder.requests(path: "/users/@me/guilds")
        #expect(pages.count == 2)
        #expect(pages.last?.query["after"] == guilds[199].id)
    }
}
