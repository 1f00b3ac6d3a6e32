import Foundation
import Logging
import ReplyTensorCore

/// Nothing lost across Gateway gaps: after a session that could not be resumed (and at a run's first session),
/// events sent while no session was open are gone for good ("Resuming" replays only what a resumed session
/// missed). The channels are read by REST instead: every watched guild channel (listed again, with its
/// `last_message_id`) and every DM with a cursor, from the last seen message id kept in the store, in bounded pages;
/// what the Gateway also delivered is deduplicated by the ledger.
extension DiscordAdapter {
    struct CatchUp {
        var messages: [InboundMessage] = []
        var rejected: [RejectedInput] = []
        /// Cursor scope → the highest message id read.
        var seen: [String: String] = [:]
    }

    /// At most this many channels are read in one catch-up (each at most `pagesPerRound` pages).
    static let catchUpChannelLimit = 500

    func catchUp(cursors: [String: String], addressing: DiscordAddressing) async throws -> CatchUp {
        var targets: [(scope: String, channel: ChannelInfo, after: String)] = []
        for guild in guilds.values.sorted(by: { $0.id < $1.id }) {
            do {
                try await list(guild)
            } catch let error as BotError where error.endsRound {
                throw error
            } catch let error as BotError where error.code == .forbidden || error.httpStatus == 404 {
                logger.warning("cannot list a guild's channels for the catch-up", metadata: [
                    "discord.guild_id": "\(guild.id)", "error": "\(error)"])
            }
        }
        for channel in channels.values.sorted(by: { $0.id < $1.id }) {
            let scope = Self.cursorScope(channel.id)
            let after = cursors[scope] ?? sinceStart(channel)
            if let last = channel.lastMessageID, !DiscordSnowflake.isAfter(last, after) { continue }
            targets.append((scope, channel, after))
        }
        for (scope, cursor) in cursors.sorted(by: { $0.key < $1.key }) where scope.hasPrefix("dm:") {
            let id = String(scope.dropFirst(3))
            targets.append((scope, ChannelInfo(id: id, guildID: "", name: id, type: 1, parentID: nil,
                                               lastMessageID: nil, overwrites: []), cursor))
        }
        if targets.count > Self.catchUpChannelLimit {
            logger.warning("more channels to catch up than one catch-up reads; the rest are left",
                           metadata: ["channels": "\(targets.count)", "limit": "\(Self.catchUpChannelLimit)"])
            targets = Array(targets.prefix(Self.catchUpChannelLimit))
        }
        var result = CatchUp()
        for target in targets {
            do {
                let (messages, cursor, rejected, _) = try await fetch(target.channel, after: target.after,
                                                                      addressing: addressing)
                result.messages += messages
                result.rejected += rejected
                if cursor != target.after { result.seen[target.scope] = cursor }
            } catch let error as BotError where error.code == .forbidden || error.httpStatus == 404 {
                logger.warning("cannot read a channel for the catch-up; skipped",
                               metadata: ["discord.channel_id": "\(target.channel.id)", "error": "\(error)"])
            }
        }
        logger.info("caught up by REST after a new Gateway session",
                    metadata: ["channels": "\(targets.count)", "messages": "\(result.messages.count)"])
        return result
    }

    /// Where a channel without a cursor is read from: the bot's first start (or the channel's creation, if later).
    func sinceStart(_ channel: ChannelInfo) -> String {
        let created = channel.isThread ? DiscordSnowflake.below(channel.id) : channel.id
        guard let start = startSnowflake else { return created }
        return DiscordSnowflake.max(start, created)
    }
}
