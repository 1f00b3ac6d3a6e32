import Foundation

/// MESSAGE_CREATE to every session that may see a message, and the scripted Gateway faults.
///
/// Intents (https://discord.com/developers/docs/events/gateway, "Gateway Intents"): GUILD_MESSAGES (1 << 9) for
/// messages in guild channels the bot can view, DIRECT_MESSAGES (1 << 12) for DMs. "Message Content Intent": without
/// MESSAGE_CONTENT (1 << 15) content is empty except in the bot's own messages, DMs and messages mentioning it.
/// Faults: op 7 Reconnect, op 9 Invalid Session (`d` resumable or not), a close with a code, a dropped socket, heartbeats
/// no longer ACKed (https://discord.com/developers/docs/events/gateway-events, "Reconnect", "Invalid Session").
extension DiscordEmulatorState {
    func gatewayDispatch(_ message: Message) {
        for (sessionID, session) in gateway.sessions.sorted(by: { $0.key < $1.key }) {
            guard let bot = users[session.botID] else { continue }
            let direct = channels[message.channelID]?.channel.type == 1
            if direct {
                guard session.intents & (1 << 12) != 0,
                      channels[message.channelID]?.recipients.contains(bot.id) == true else { continue }
            } else {
                guard session.intents & (1 << 9) != 0, isMember(bot.id, of: message.guildID),
                      permissions(of: bot.id, in: message.channelID) & Self.view != 0 else { continue }
            }
            var object = messageObject(message, for: bot)
            if direct || session.intents & (1 << 15) != 0 { object["content"] = message.content }
            if let raw = rawMessages[message.id] {
                send(sessionID, rawType: "MESSAGE_CREATE", rawData: raw)
            } else {
                send(sessionID, type: "MESSAGE_CREATE", object)
            }
        }
    }

    /// A dispatch whose `d` is written verbatim (malformed input).
    func send(_ sessionID: String, rawType: String, rawData: String) {
        guard var session = gateway.sessions[sessionID] else { return }
        session.sequence += 1
        let payload = "{\"op\":0,\"s\":\(session.sequence),\"t\":\"\(rawType)\",\"d\":\(rawData)}"
        session.events.append((session.sequence, payload))
        gateway.sessions[sessionID] = session
        if let connection = session.connection { gateway.connections[connection]?.continuation.yield(.text(payload)) }
    }

    // MARK: Faults

    func gatewayFault(_ fault: DiscordEmulator.GatewayFault) {
        let open = gateway.connections.keys.sorted()
        switch fault {
        case .dropSocket:
            for id in open { gateway.connections[id]?.continuation.yield(.drop) }
        case .stopACKing:
            gateway.acking = false
        case .resumeACKing:
            gateway.acking = true
        case .reconnect:
            for id in open { gateway.connections[id]?.continuation.yield(.text("{\"op\":7,\"d\":null}")) }
        case .invalidSession(let resumable):
            for id in open {
                if !resumable, let session = gateway.connections[id]?.sessionID {
                    gateway.sessions[session] = nil
                    gateway.connections[id]?.sessionID = nil
                }
                gateway.connections[id]?.continuation.yield(.text("{\"op\":9,\"d\":\(resumable)}"))
            }
        case .close(let code):
            for id in open {
                // Close codes after which Discord does not allow a resume end the session as well.
                if code >= 4003, code != 4000, code != 4001, code != 4002, code != 4005, code != 4008,
                   let session = gateway.connections[id]?.sessionID {
                    gateway.sessions[session] = nil
                }
                close(id, code)
            }
        }
    }

    func setGatewayStarts(remaining: Int, total: Int, resetAfter: Duration) {
        gateway.startsRemaining = remaining
        gateway.startsTotal = total
        gateway.resetAfterMilliseconds = Int(resetAfter.secondsValue * 1000)
    }

    /// `GET /gateway/bot`: https://discord.com/developers/docs/events/gateway, "Get Gateway Bot" — `url`, `shards`
    /// (recommended) and `session_start_limit` {total, remaining, reset_after (ms), max_concurrency}.
    func gatewayBot() -> String {
        Self.json(["url": gateway.baseURL, "shards": 1,
                   "session_start_limit": ["total": gateway.startsTotal, "remaining": gateway.startsRemaining,
                                           "reset_after": gateway.resetAfterMilliseconds, "max_concurrency": 1]]
                  as [String: Any])
    }

    /// `GET /applications/@me`: https://discord.com/developers/docs/resources/application, "Get Current Application"
    /// — the application object, whose `flags` carry GATEWAY_MESSAGE_CONTENT (1 << 18) when the intent is enabled.
    func application(for bot: User) -> String {
        Self.json(["id": bot.id, "name": bot.username, "flags": applicationFlags, "bot_public": false] as [String: Any])
    }

    // MARK: DMs

    /// A DM channel (type 1) between `user` and `bot`: https://discord.com/developers/docs/resources/channel, Channel
    /// Types — DM "a direct message between users", with `recipients` and no `guild_id`; a bot reads and writes it
    /// with the same message endpoints as any channel it is in.
    func openDM(user: User, bot: User) -> DiscordEmulator.Channel {
        if let existing = channels.values.first(where: {
            $0.channel.type == 1 && Set($0.recipients) == Set([user.id, bot.id])
        }) {
            return existing.channel
        }
        let channel = DiscordEmulator.Channel(id: nextID(), guildID: "", name: user.username, type: 1)
        channels[channel.id] = ChannelData(channel: channel, overwrites: [], recipients: [user.id, bot.id])
        messages[channel.id] = []
        return channel
    }

    /// Whether `botID` may use `channelID`: a DM it is a recipient of, or a channel of a guild it is in.
    func canUse(_ botID: String, _ data: ChannelData) -> Bool {
        data.channel.type == 1 ? data.recipients.contains(botID) : isMember(botID, of: data.channel.guildID)
    }
}
