import Foundation
import ReplyTensorCore

/// Finding the bot's earlier reply when a resend would no longer be de-duplicated: Discord checks a `nonce` only
/// "in the past few minutes" (Create Message, `enforce_nonce`), so a part interrupted longer ago than
/// `nonce_resend_seconds` is looked for in the channel before anything is sent again.
extension DiscordAdapter {
    /// Pages of a channel (100 messages each) read after a mention when looking for the bot's reply to it.
    static let reconcilePages = 10

    /// After a crash in `posting`, past `nonce_resend_seconds`: the ids of the bot's replies to `message`, oldest
    /// first (empty when the channel shows none), or `nil` when the channel cannot be read.
    public func reconcile(_ message: InboundMessage) async throws -> [String]? {
        do {
            return try await earlierReplies(to: message)
        } catch let error as BotError where error.code == .platformStopped || error.code == .cancelled {
            throw error
        } catch {
            logger.warning("cannot read the channel to look for an earlier reply",
                           metadata: ["discord.message_id": "\(message.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Reads the channel from just below the mention's id, so the mention itself must come back: without
    /// READ_MESSAGE_HISTORY Discord answers an empty list ("no messages will be returned"), which must not read as
    /// "no reply". `nil` when the mention is not seen, or when more messages follow it than are read.
    func earlierReplies(to message: InboundMessage) async throws -> [String]? {
        let bot = try await knownBot()
        let mentionID = message.platformMessageID
        let channelID = message.extras["channel_id"] ?? message.chat.id
        var cursor = DiscordSnowflake.below(mentionID)
        var sawMention = false
        var replies: [String] = []
        for _ in 0..<Self.reconcilePages {
            let page = try await client.get("/channels/\(channelID)/messages",
                                            query: [("after", cursor), ("limit", "\(Self.pageSize)")],
                                            as: [LenientElement<DiscordMessage>].self)
            for slot in page {
                switch slot {
                case .value(let found):
                    cursor = DiscordSnowflake.max(cursor, found.id)
                    if found.id == mentionID { sawMention = true }
                    if found.author.id == bot.id, found.messageReference?.messageId == mentionID {
                        replies.append(found.id)
                    }
                case .invalid(let id, _):
                    if let id { cursor = DiscordSnowflake.max(cursor, id) }
                }
            }
            if page.count < Self.pageSize { return sawMention || !replies.isEmpty ? sorted(replies) : nil }
        }
        return replies.isEmpty ? nil : sorted(replies)
    }

    private func sorted(_ ids: [String]) -> [String] { ids.sorted { DiscordSnowflake.isAfter($1, $0) } }

    /// Before sending part `part` again in this run: while Discord still remembers its nonce the resend is safe;
    /// past `nonce_resend_seconds` since its first try, the channel is searched first. Returns the id of the part
    /// already in the channel, or `nil` to send.
    func earlierAttempt(nonce: String, part: Int, replyingTo message: InboundMessage) async throws -> String? {
        let now = environment.now()
        guard let first = nonceAttempts[nonce] else {
            if nonceAttempts.count >= 1000 {
                nonceAttempts = nonceAttempts.filter { now.timeIntervalSince($0.value) < 86_400 }
            }
            nonceAttempts[nonce] = now
            return nil
        }
        guard now.timeIntervalSince(first) >= configuration.nonceResendWindow.seconds else { return nil }
        guard let found = try? await earlierReplies(to: message) else {
            let age = Int(now.timeIntervalSince(first))
            throw BotError(.platform, "part \(part) was first tried \(age) s ago, too long "
                           + "for Discord's nonce to prevent a second message, and the channel cannot be read to "
                           + "check: not sent again", platform: .discord, isPermanent: true, delivery: .unknown)
        }
        if found.count > part {
            nonceAttempts[nonce] = nil
            return found[part]
        }
        nonceAttempts[nonce] = now  // not in the channel: this try starts a new window
        return nil
    }
}
