import Foundation
import Logging
import ReplyTensorCore

/// Gateway mode: `poll(cursors:)` hands over the events the Gateway buffered since the last call (waiting for the
/// first one when there are none), and the last seen message id per channel as cursor updates, so the store keeps
/// them. After a session that could not be resumed (and at the first session of a run), the channels are caught up
/// by REST before any cursor moves (`DiscordAdapter+CatchUp`).
///
/// DMs: every message in a DM is addressed to the bot (as on Telegram); the engine's guards (other bots, self, the
/// loop guard) and operator limits apply as anywhere else. A DM's cursor scope is `dm:<channel id>`.
extension DiscordAdapter {
    /// Cursor scope prefix of a DM channel.
    public static func directScope(_ channelID: String) -> String { "dm:\(channelID)" }
    /// How long a poll waits for the first event before returning an empty page.
    static let gatewayWait: Duration = .seconds(10)
    /// How often the Gateway's counters are written to the adapter state (its state changes are written at once).
    static let gatewayReportEvery: Duration = .seconds(5)

    func gatewayPoll(cursors: [String: String]) async throws -> PollPage {
        let bot = try await knownBot()
        if let pendingGatewayError {
            if pendingGatewayError.code != .platformStopped { self.pendingGatewayError = nil }
            throw pendingGatewayError
        }
        try await loadStartSnowflake()
        let gateway = startedGateway()
        let events = await gateway.inbox.take(waitingUpTo: needsCatchUp ? .zero : Self.gatewayWait)
        try Task.checkCancellation()
        var page = PollPage()
        var seen: [String: String] = [:]
        var messages: [DiscordMessage] = []
        for event in events {
            switch event {
            case .message(let message): messages.append(message)
            case .malformed(let reason, let detail): page.rejected.append(RejectedInput(reason: reason, detail: detail))
            case .guild(let guild): learn(guild, botID: bot.id)
            case .channel(let channel): learn(channel)
            case .sessionStarted: needsCatchUp = true
            case .stopped(let error), .refused(let error): pendingGatewayError = error
            }
        }
        let addressing = addressing(botID: bot.id)
        for message in messages where watches(message) {
            let scope = message.guildId == nil ? Self.directScope(message.channelId) : Self.cursorScope(message.channelId)
            seen[scope] = seen[scope].map { DiscordSnowflake.max($0, message.id) } ?? message.id
            if let inbound = inbound(message, channel: channelInfo(for: message), addressing: addressing) {
                page.messages.append(inbound)
            }
        }
        if needsCatchUp {
            do {
                let caught = try await catchUp(cursors: cursors, addressing: addressing)
                page.messages += caught.messages
                page.rejected += caught.rejected
                seen.merge(caught.seen) { DiscordSnowflake.max($0, $1) }
                needsCatchUp = false
            } catch let error as BotError where error.endsRound {
                throw error
            } catch {
                // Messages are still admitted; no cursor moves until the gap is covered.
                logger.warning("REST catch-up failed; retrying with the next poll", metadata: ["error": "\(error)"])
                page.nextPollDelay = .seconds(1)
            }
        }
        if !needsCatchUp {
            for (scope, id) in seen where cursors[scope].map({ DiscordSnowflake.isAfter(id, $0) }) ?? true {
                page.cursorUpdates[scope] = id
            }
        }
        var unique: Set<String> = []
        page.messages = page.messages.filter { unique.insert($0.id).inserted }
        page.messages.sort { DiscordSnowflake.isAfter($1.id, $0.id) }
        try await reportGateway(gateway.stats.current)
        try await noteActivity(answering: !page.messages.isEmpty)
        return page
    }

    /// While mentions are being answered (replies go out by REST), the time of the last activity is kept as in
    /// polling, so a restart waits Discord's windows out; an idle Gateway writes nothing.
    func noteActivity(answering: Bool) async throws {
        let now = ContinuousClock.now
        if answering { lastGatewayActivity = now }
        guard let active = lastGatewayActivity, now - active < .seconds(30) else { return }
        if let recorded = lastActivityRecord, now - recorded < .seconds(2) { return }
        try await recordActivity()
        lastActivityRecord = now
    }

    /// The Gateway, started on the first poll in gateway mode.
    func startedGateway() -> DiscordGateway {
        if let gateway { return gateway }
        let started = DiscordGateway(configuration: configuration, client: client, logger: logger)
        gateway = started
        Task { await started.start() }
        return started
    }

    /// Closes the Gateway connection loop (tests and the benchmark; the bot's process simply ends).
    public func stopGateway() async {
        await gateway?.stop()
    }

    /// The guild and channel allowlists; DMs are always watched.
    func watches(_ message: DiscordMessage) -> Bool {
        guard let guild = message.guildId else { return true }
        if !configuration.guilds.isEmpty, !configuration.guilds.contains(guild) { return false }
        guard !configuration.channels.isEmpty else { return true }
        if configuration.channels.contains(message.channelId) { return true }
        return channels[message.channelId]?.parentID.map { configuration.channels.contains($0) } ?? false
    }

    /// What is known of the message's channel (a DM, or a channel no GUILD_CREATE listed, gets a minimal entry).
    func channelInfo(for message: DiscordMessage) -> ChannelInfo {
        if let known = channels[message.channelId] { return known }
        return ChannelInfo(id: message.channelId, guildID: message.guildId ?? "", name: message.channelId,
                           type: message.guildId == nil ? 1 : 0, parentID: nil, lastMessageID: nil, overwrites: [])
    }

    /// GUILD_CREATE: the guild's roles (the bot's managed role) and its readable channels and threads.
    func learn(_ guild: DiscordGuildCreate, botID: String) {
        guard guild.unavailable != true,
              configuration.guilds.isEmpty || configuration.guilds.contains(guild.id) else { return }
        var info = guilds[guild.id] ?? GuildInfo(id: guild.id, name: guild.name ?? guild.id)
        for role in guild.roles ?? [] {
            info.roleNames[role.id] = role.name
            info.rolePermissions[role.id] = DiscordPermissions(role.permissions)
            if role.managed == true, role.tags?.botId == botID { info.managedRole = role.id }
        }
        guilds[guild.id] = info
        for channel in (guild.channels ?? []) + (guild.threads ?? []) {
            var channel = channel
            channel.guildId = channel.guildId ?? guild.id
            learn(channel)
        }
    }

    func learn(_ channel: DiscordChannel) {
        guard channel.isReadableText, let guild = channel.guildId else { return }
        channels[channel.id] = ChannelInfo(id: channel.id, guildID: guild, name: channel.name ?? channel.id,
                                           type: channel.type, parentID: channel.parentId,
                                           lastMessageID: channel.lastMessageId,
                                           overwrites: channel.permissionOverwrites ?? [])
    }

    /// The snowflake of the first round (shared with polling): channels with no cursor are read from there.
    func loadStartSnowflake() async throws {
        guard startSnowflake == nil else { return }
        if let stored = try await environment.state.value(Self.startKey, for: .discord) {
            startSnowflake = stored
        } else {
            let now = DiscordSnowflake.at(environment.now())
            try await environment.state.setValue(now, for: Self.startKey, platform: .discord, at: environment.now())
            startSnowflake = now
        }
    }

    /// Writes the Gateway's status to the adapter state: at once when its state changed, otherwise every few seconds.
    func reportGateway(_ status: DiscordGatewayStatus) async throws {
        gatewayStatus = status
        let stateChanged = lastGatewayReport?.status.state != status.state
        if let last = lastGatewayReport, last.status == status { return }
        if !stateChanged, let last = lastGatewayReport, ContinuousClock.now - last.at < Self.gatewayReportEvery { return }
        for (key, value) in status.stateValues {
            try await environment.state.setValue(value, for: key, platform: .discord, at: environment.now())
        }
        lastGatewayReport = (status, ContinuousClock.now)
    }
}
