import DiscordPlatform
import Foundation
import ReplyTensorApp
import ReplyTensorCore
import ReplyTensorEmulators

/// The Discord part of the tour: a mention, a reply to the bot, a role mention, a forum post whose starter message
/// mentions the bot, a model answer trying to ping everyone, and what the bot must leave alone.
public struct DiscordTourScenario {
    func play(in world: SandboxWorld, summary: inout SandboxSummary) async throws {
        let discord = world.discord
        let guild = world.discordGuild
        let channel = world.discordChannel
        let bot = discord.bot
        let carol = await discord.addUser(username: "carol", globalName: "Carol")
        let dave = await discord.addUser(username: "dave", globalName: "Dave")
        let otherBot = await discord.addUser(username: "other-bot", bot: true)
        // The bot reads a channel from the moment it first lists it: wait for that.
        let watching = await world.wait {
            (try? await world.assembly.store.cursors(for: .discord))?[DiscordAdapter.cursorScope(channel.id)] != nil
        }
        summary.expect("the Discord bot started watching #\(channel.name)", watching)
        var answered: [(String, DiscordEmulator.Message)] = []
        var silent: [(String, DiscordEmulator.Message)] = []

        await world.transcript.section("Discord: a mention in a guild channel")
        let mention = try await discord.inject("<@\(bot.id)> what does a validator do?", from: carol, in: channel)
        answered.append(("a Discord mention is answered", mention))
        _ = await world.wait { await !discord.replies(to: mention).isEmpty }

        await world.transcript.section("Discord: a reply to the bot")
        if let botReply = await discord.replies(to: mention).first,
           let stored = await discord.message(botReply.message.id, in: channel) {
            let followUp = try await discord.inject("and how often?", from: carol, in: channel, replyTo: stored)
            answered.append(("a reply to the bot on Discord is answered", followUp))
            _ = await world.wait { await !discord.replies(to: followUp).isEmpty }
        } else {
            summary.expect("a reply to the bot on Discord is answered", false, "the mention got no reply")
        }

        await world.transcript.section("Discord: a mention of the bot's role")
        if let role = await discord.managedRole(in: guild) {
            let roleMention = try await discord.inject("<@&\(role)> are miners paid per answer?", from: dave, in: channel)
            answered.append(("a mention of the bot's role is answered", roleMention))
            _ = await world.wait { await !discord.replies(to: roleMention).isEmpty }
        }

        await world.transcript.section("Discord: a forum post whose first message mentions the bot")
        let forum = await discord.addForum(in: guild, name: "help")
        let (post, starter) = try await discord.addPost(in: forum, title: "Rewards",
                                                        content: "<@\(bot.id)> how are miner rewards split?",
                                                        from: carol)
        answered.append(("a Discord forum post mentioning the bot is answered in the post", starter))
        _ = await world.wait { await !discord.replies(to: starter).isEmpty }
        let postReplies = await discord.replies(to: starter)
        let inPost = !postReplies.isEmpty && post.id == starter.id
            && postReplies.allSatisfy { $0.channelID == post.id && $0.replyTo == starter.id }
        summary.expect("the forum post's reply is in the post, replying to the starter message (same id as the post)",
                       inPost)

        await world.transcript.section("Discord: a model answer that tries to ping everyone")
        let announce = try await discord.inject("<@\(bot.id)> announce the release", from: dave, in: channel)
        answered.append(("the Discord announcement request is answered", announce))
        _ = await world.wait { await !discord.replies(to: announce).isEmpty }
        let quiet = await discord.replies(to: announce).allSatisfy { $0.allowedParse == [] && $0.contentPings.isEmpty }
        summary.expect("Discord replies are sent with allowed_mentions.parse empty and ping no one", quiet)

        await world.transcript.section("Discord: chatter, another bot trying to start a loop, a webhook")
        silent.append(("Discord chatter is ignored", try await discord.inject("gm builders", from: dave, in: channel)))
        silent.append(("another Discord bot cannot start a loop",
                       try await discord.inject("<@\(bot.id)> let's talk forever", from: otherBot, in: channel)))
        silent.append(("a webhook is not answered",
                       try await discord.inject("<@\(bot.id)> deploy finished", from: dave, in: channel, webhook: true)))

        try await Task.sleep(for: .milliseconds(1500))
        for (description, message) in answered {
            let count = await discord.replies(to: message).count
            summary.expect(description + " exactly once", count == 1, "\(count) replies")
            summary.duplicates += max(0, count - 1)
            if count == 0 { summary.lost += 1 }
        }
        for (description, message) in silent {
            let count = await discord.replies(to: message).count
            summary.expect(description, count == 0, count == 0 ? "" : "\(count) replies")
        }
        summary.replies += await discord.sent.count
        let violations = await discord.violations.total
        summary.expect("no Discord rate limit was broken", violations == 0, "\(violations) violations")
    }
}
