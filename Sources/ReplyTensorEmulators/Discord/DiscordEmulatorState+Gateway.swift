import Foundation

/// The Gateway's protocol on the emulator's state. Every behaviour follows the Gateway documentation:
/// https://discord.com/developers/docs/events/gateway (Connecting, Hello and heartbeats, Identifying, Resuming,
/// Rate Limiting, Session Start Limit, Gateway Intents), https://discord.com/developers/docs/events/gateway-events
/// (payload shape `{op, d, s, t}`, Ready, Resumed, Reconnect, Invalid Session, Guild Create, Message Create) and
/// https://discord.com/developers/docs/topics/opcodes-and-status-codes (opcodes, close codes 4001-4014).
extension DiscordEmulatorState {
    typealias Outgoing = DiscordGatewayBook.Outgoing

    /// A new WebSocket: Hello (op 10) with `heartbeat_interval` is the first thing the Gateway sends.
    func gatewayOpen(_ continuation: AsyncStream<Outgoing>.Continuation, onResumeURL: Bool) -> Int {
        gateway.nextConnection += 1
        let id = gateway.nextConnection
        gateway.connections[id] = .init(continuation: continuation, onResumeURL: onResumeURL)
        continuation.yield(.text(Self.json(["op": 10, "d": ["heartbeat_interval": gateway.heartbeatInterval]])))
        return id
    }

    /// The socket is gone: its session stays resumable (Resuming: "the session [...] can be resumed").
    func gatewayClosed(_ id: Int) {
        guard let connection = gateway.connections.removeValue(forKey: id) else { return }
        connection.continuation.finish()
        if let session = connection.sessionID, gateway.sessions[session]?.connection == id {
            gateway.sessions[session]?.connection = nil
        }
        gateway.sendTimes[id] = nil
    }

    func gatewayReceive(_ id: Int, _ text: String) {
        guard let connection = gateway.connections[id] else { return }
        guard countSend(id) else { return }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let op = object["op"] as? Int else {
            return close(id, 4002)  // "Decode error: You sent an invalid payload to Discord."
        }
        let data = object["d"]
        switch op {
        case 1:
            // Heartbeat: answered with op 11 Heartbeat ACK (unless the fault "stop ACKing" is on).
            gateway.heartbeats += 1
            if gateway.acking { connection.continuation.yield(.text("{\"op\":11}")) }
        case 2:
            guard connection.sessionID == nil else { return close(id, 4005) }  // "Already authenticated"
            identify(id, data as? [String: Any] ?? [:])
        case 6:
            guard connection.sessionID == nil else { return close(id, 4005) }
            resume(id, data as? [String: Any] ?? [:])
        default:
            // 4001 "Unknown opcode"; anything but Heartbeat, Identify or Resume before identifying: 4003.
            close(id, connection.sessionID == nil ? 4003 : 4001)
        }
    }

    /// Rate Limiting: "120 gateway events every 60 seconds"; more closes the connection with 4008.
    private func countSend(_ id: Int) -> Bool {
        let now = Date()
        var times = (gateway.sendTimes[id] ?? []).filter { now.timeIntervalSince($0) < 60 }
        times.append(now)
        gateway.sendTimes[id] = times
        guard times.count > 120 else { return true }
        gateway.rateLimitCloses += 1
        close(id, 4008)
        return false
    }

    func close(_ id: Int, _ code: Int) {
        gateway.connections[id]?.continuation.yield(.close(code))
    }

    /// Identify: a wrong token closes with 4004; a privileged intent the application has not enabled with 4014;
    /// unknown intent bits with 4013. Session Start Limit: with no starts left the session is invalidated (op 9).
    private func identify(_ id: Int, _ data: [String: Any]) {
        let token = data["token"] as? String ?? ""
        guard let bot = bots[token] else { return close(id, 4004) }
        let intents = data["intents"] as? Int ?? 0
        let known = (1 << 17) - 1 | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25)
        guard intents & ~known == 0 else { return close(id, 4013) }
        if intents & (1 << 15) != 0, !gateway.messageContentEnabled { return close(id, 4014) }
        guard gateway.startsRemaining > 0 else {
            gateway.identifiesOverLimit += 1
            gateway.connections[id]?.continuation.yield(.text("{\"op\":9,\"d\":false}"))
            return
        }
        gateway.startsRemaining -= 1
        gateway.identifies += 1
        let sessionID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        gateway.sessions[sessionID] = .init(botID: bot.id, intents: intents, connection: id)
        gateway.connections[id]?.sessionID = sessionID
        let memberGuilds = guilds.values.filter { $0.botRoles[bot.id] != nil }.sorted { $0.guild.id < $1.guild.id }
        let ready: [String: Any] = [
            "v": 10, "user": userObject(bot), "session_type": "normal", "session_id": sessionID,
            "resume_gateway_url": gateway.baseURL + "/resume", "shard": [0, 1],
            "guilds": memberGuilds.map { ["id": $0.guild.id, "unavailable": true] as [String: Any] },
            "application": ["id": bot.id, "flags": applicationFlags],
        ]
        send(sessionID, type: "READY", ready)
        for guild in memberGuilds { send(sessionID, type: "GUILD_CREATE", guildCreate(guild, for: bot)) }
    }

    /// Resume: the session's missed dispatches (sequence above `seq`) are replayed in order, then RESUMED. An
    /// unknown or invalidated session gets op 9 with `d: false`.
    private func resume(_ id: Int, _ data: [String: Any]) {
        let token = data["token"] as? String ?? ""
        guard let bot = bots[token] else { return close(id, 4004) }
        guard let sessionID = data["session_id"] as? String, var session = gateway.sessions[sessionID],
              session.botID == bot.id else {
            gateway.connections[id]?.continuation.yield(.text("{\"op\":9,\"d\":false}"))
            return
        }
        let last = data["seq"] as? Int ?? 0
        if let old = session.connection, old != id { close(old, 4000) }
        session.connection = id
        gateway.sessions[sessionID] = session
        gateway.connections[id]?.sessionID = sessionID
        gateway.resumes += 1
        if gateway.connections[id]?.onResumeURL == true { gateway.resumesOnResumeURL += 1 }
        for event in session.events where event.sequence > last {
            gateway.replayed += 1
            gateway.connections[id]?.continuation.yield(.text(event.payload))
        }
        send(sessionID, type: "RESUMED", [:])
    }

    /// A dispatch (op 0) on a session with the next sequence number; kept for replay, sent if connected.
    func send(_ sessionID: String, type: String, _ data: [String: Any]) {
        guard var session = gateway.sessions[sessionID] else { return }
        session.sequence += 1
        let payload = Self.json(["op": 0, "s": session.sequence, "t": type, "d": data] as [String: Any])
        session.events.append((session.sequence, payload))
        if session.events.count > DiscordGatewayBook.replayLimit { session.events.removeFirst() }
        gateway.sessions[sessionID] = session
        if let connection = session.connection { gateway.connections[connection]?.continuation.yield(.text(payload)) }
    }

    /// https://discord.com/developers/docs/resources/application, "Application Flags": GATEWAY_MESSAGE_CONTENT
    /// (1 << 18) "Intent required for bots in under 100 servers to receive message content".
    var applicationFlags: Int { gateway.messageContentEnabled ? 1 << 18 : 0 }

    private func guildCreate(_ data: GuildData, for bot: User) -> [String: Any] {
        let own = channels.values.filter { $0.channel.guildID == data.guild.id }.sorted { $0.channel.id < $1.channel.id }
        let roles = data.roles.map { role -> [String: Any] in
            var object: [String: Any] = ["id": role.id, "name": role.name, "permissions": String(role.permissions),
                                         "managed": role.botID != nil]
            if let botID = role.botID { object["tags"] = ["bot_id": botID] }
            return object
        }
        return ["id": data.guild.id, "name": data.guild.name, "unavailable": false, "roles": roles,
                "channels": own.filter { ![10, 11, 12].contains($0.channel.type) }.map { channelObject($0) },
                "threads": own.filter { [10, 11, 12].contains($0.channel.type) && !$0.archived }.map { channelObject($0) },
                "members": [["user": userObject(bot), "roles": data.botRoles[bot.id].map { [$0] } ?? []]]]
    }
}
