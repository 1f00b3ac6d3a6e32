import Foundation
import ReplyTensorEmulators

/// The memory benchmark's mentions on the three platforms, each from its own user, and which of them got exactly
/// one reply matched by id (Telegram: chat and `reply_to_message`; Discord: channel and `message_reference`; X:
/// `in_reply_to` the mention).
struct ThreePlatformBurst {
    var telegram: [TelegramEmulator.Message] = []
    var discord: [DiscordEmulator.Message] = []
    var x: [TwitterEmulator.Tweet] = []
    var total: Int { telegram.count + discord.count + x.count }

    static func inject(_ world: ThreePlatformWorld, channels: [DiscordEmulator.Channel]) async throws
        -> ThreePlatformBurst {
        typealias Sizes = MemoryBenchmark
        var burst = ThreePlatformBurst()
        let load = await TelegramLoad.prepare(world.telegram, mentions: Sizes.telegramGroups * Sizes.perGroup,
                                              groups: Sizes.telegramGroups)
        burst.telegram = try await load.inject()
        for index in 0..<(channels.count * Sizes.perChannel) {
            let user = await world.discord.addUser(username: "asker\(index)")
            burst.discord.append(try await world.discord.inject("<@\(world.discord.bot.id)> question number \(index)?",
                                                                from: user, in: channels[index % channels.count]))
        }
        for index in 0..<Sizes.xMentions {
            let user = await world.x.addUser(username: "asker\(index)")
            burst.x.append(await world.x.post("@\(world.x.bot.username) question number \(index)?", from: user))
        }
        return burst
    }

    func replyCount(_ world: ThreePlatformWorld) async -> Int {
        await world.telegram.sent.count + (await world.discord.sent.count) + (await world.x.botPosts.count)
    }

    /// Per platform: mentions without a reply, with more than one, and replies to nothing the burst wrote; `ok`.
    func check(_ world: ThreePlatformWorld) async -> [String: Any] {
        let telegramReplies = await world.telegram.sent.map { "\($0.chatID):\($0.replyToMessageID.map(String.init) ?? "-")" }
        let discordReplies = await world.discord.sent.map { "\($0.message.channelID):\($0.replyTo ?? "-")" }
        let xReplies = await world.x.botPosts.map { $0.repliedToID ?? "-" }
        let results = [
            "telegram": Self.count(telegram.map { "\($0.chat.id):\($0.messageId)" }, replies: telegramReplies),
            "discord": Self.count(discord.map { "\($0.channelID):\($0.id)" }, replies: discordReplies),
            "x": Self.count(x.map(\.id), replies: xReplies),
        ]
        let ok = results.values.allSatisfy { $0.values.allSatisfy { $0 == 0 } }
        return ["ok": ok, "replies_by_id": results]
    }

    private static func count(_ mentions: [String], replies: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for reply in replies { counts[reply, default: 0] += 1 }
        var result = ["missing": 0, "duplicated": 0, "stray": 0]
        for mention in mentions {
            switch counts.removeValue(forKey: mention) ?? 0 {
            case 0: result["missing", default: 0] += 1
            case 1: break
            default: result["duplicated", default: 0] += 1
            }
        }
        result["stray"] = counts.values.reduce(0, +)
        return result
    }
}
