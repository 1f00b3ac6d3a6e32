import Foundation
import ReplyTensorCore
import ReplyTensorHTTP

extension DiscordAdapter {
    /// The nonce of one part of the reply to `message`: derived from the mention's id and the part number (at most
    /// 25 characters, as Discord allows), so a resend after a crash returns the message already created.
    public static func nonce(for messageID: String, part: Int) -> String {
        "rt\(DiscordSnowflake.compact(messageID)).\(part)"
    }

    /// Posts one part as a reply: `message_reference` (`fail_if_not_exists: false`), no mention parsed at all
    /// except the replied-to user, and `nonce` + `enforce_nonce`. Returns the new message's id. A part tried
    /// before, longer ago than Discord remembers nonces, is looked for in the channel first.
    public func post(_ text: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String)
        async throws -> String {
        let channelID = message.extras["channel_id"] ?? message.chat.id
        let nonce = Self.nonce(for: message.platformMessageID, part: part)
        if let earlier = try await earlierAttempt(nonce: nonce, part: part, replyingTo: message) { return earlier }
        let body = DiscordCreateMessage(
            content: text,
            messageReference: DiscordMessageReference(messageId: message.platformMessageID, channelId: nil,
                                                      guildId: nil, failIfNotExists: false),
            allowedMentions: DiscordAllowedMentions(parse: [], repliedUser: true),
            nonce: nonce, enforceNonce: true)
        let data: Data
        do {
            data = try DiscordCoding.encoder().encode(body)
        } catch {
            throw BotError(.config, "cannot encode a Discord message: \(error)", platform: .discord)
        }
        let path = "/channels/\(channelID)/messages"
        let response = try await client.send("POST", path, body: data, delivery: .unknown)!
        guard let sent = DiscordCoding.decoder().decodeIfPossible(SentMessage.self, from: response.body) else {
            // The message was created but the answer is unreadable; a resend with the same nonce returns it.
            // Retryable: the resend carries the same nonce.
            throw BotError(.platform, "POST /channels/{major}/messages: malformed answer", platform: .discord,
                           delivery: .unknown)
        }
        nonceAttempts[nonce] = nil
        return sent.id
    }

    /// `POST /channels/{id}/typing`, skipped rather than delayed when a limit is reached (it is only a hint).
    public func indicateTyping(for message: InboundMessage) async throws {
        let channelID = message.extras["channel_id"] ?? message.chat.id
        do {
            _ = try await client.send("POST", "/channels/\(channelID)/typing", waiting: false)
        } catch let error as BotError where error.code == .platformStopped {
            throw error
        } catch {
            logger.debug("typing indicator failed", metadata: ["error": "\(error)"])
        }
    }

    /// The chain of referenced messages above `message`, oldest first, at most `depth`.
    public func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage] {
        guard depth > 0, var parentID = message.replyTo?.id else { return [] }
        let bot = try await knownBot()
        let channelID = message.extras["channel_id"] ?? message.chat.id
        let addressing = addressing(botID: bot.id)
        var chain: [InboundMessage] = []
        var seen: Set<String> = []
        while chain.count < depth, !seen.contains(parentID) {
            seen.insert(parentID)
            let parent: DiscordMessage
            do {
                parent = try await client.get("/channels/\(channelID)/messages/\(parentID)", as: DiscordMessage.self)
            } catch let error as BotError where error.code == .platformStopped {
                throw error
            } catch {
                logger.debug("context message unavailable", metadata: ["discord.message_id": "\(parentID)",
                                                                       "error": "\(error)"])
                break
            }
            var replyTo: MessageRef?
            if parent.type == 19, let grandparent = parent.messageReference?.messageId {
                replyTo = MessageRef(id: grandparent, author: parent.referencedMessage.map { addressing.author($0) },
                                     text: parent.referencedMessage.map { addressing.render($0) })
            }
            chain.insert(InboundMessage(
                platform: .discord, id: parent.id, platformMessageID: parent.id, chat: message.chat,
                author: addressing.author(parent), text: addressing.render(parent), addressedAs: .reply,
                replyTo: replyTo, createdAt: DiscordSnowflake.date(parent.id) ?? environment.now(),
                extras: ["channel_id": channelID]), at: 0)
            guard let next = replyTo?.id else { break }
            parentID = next
        }
        return chain
    }
}

/// The part of a created message the adapter needs.
struct SentMessage: Decodable {
    var id: String
}
