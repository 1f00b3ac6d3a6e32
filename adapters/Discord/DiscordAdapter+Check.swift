import Foundation
import ReplyTensorCore

/// What `replytensor check` reports about Discord.
public struct DiscordCheckReport: Sendable {
    public struct Channel: Sendable {
        public var id: String
        public var name: String
        public var guild: String
        public var readable: Bool
        public var writable: Bool
        /// Names of needed permissions the bot lacks here (VIEW_CHANNEL, READ_MESSAGE_HISTORY, SEND_MESSAGES).
        public var missing: [String]
    }

    public var botID: String
    public var botName: String
    public var guilds: [String]
    public var channels: [Channel]
    public var budget: DiscordPollingBudget
    /// Gateway mode only: what `GET /gateway/bot` and the application's flags say.
    public var gateway: GatewayCheck?

    /// `GET /gateway/bot` (recommended shards, session starts left) and the intents: requested, and whether the
    /// privileged MESSAGE_CONTENT is enabled for the application (its flags, from `GET /applications/@me`).
    public struct GatewayCheck: Sendable {
        public var shards: Int
        public var startsRemaining: Int
        public var startsTotal: Int
        public var resetAfter: Duration
        public var requested: DiscordIntents
        public var messageContentEnabled: Bool

        public var summary: String {
            "gateway: \(shards) shard(s) recommended, \(startsRemaining) of \(startsTotal) session starts left "
                + "(reset in \(Int(resetAfter.seconds)) s); intents \(requested.names.joined(separator: ", ")); "
                + "MESSAGE_CONTENT \(messageContentEnabled ? "enabled" : "not enabled") for the application"
        }
    }

    /// One warning per channel with missing permissions, and when no guild is visible.
    public var warnings: [String] {
        var result: [String] = []
        if let gateway {
            if gateway.requested.contains(.messageContent), !gateway.messageContentEnabled {
                result.append("message_content = true asks for the MESSAGE_CONTENT intent, which is not enabled for "
                    + "this application: the Gateway will close with 4014. Enable the Message Content intent in the "
                    + "Developer Portal (Bot → Privileged Gateway Intents) or set message_content = false")
            }
            if gateway.startsRemaining == 0 {
                result.append("no Gateway session starts left: the bot will not identify until they reset in "
                    + "\(Int(gateway.resetAfter.seconds)) s")
            }
            if gateway.shards > 1 {
                result.append("Discord recommends \(gateway.shards) shards; this version opens one connection")
            }
        }
        if guilds.isEmpty {
            result.append("the bot is in no guild (or none of the configured ones): invite it with the "
                + "VIEW_CHANNEL, READ_MESSAGE_HISTORY and SEND_MESSAGES permissions")
        }
        for channel in channels where !channel.missing.isEmpty {
            result.append("#\(channel.name) (\(channel.guild)): missing \(channel.missing.joined(separator: ", "))")
        }
        return result
    }
}

extension DiscordAdapter {
    /// Verifies the token (`GET /users/@me`), lists the guilds and their channels, and computes the bot's
    /// permissions in each channel from its roles and the channel's overwrites.
    public func verify() async throws -> DiscordCheckReport {
        _ = try await identity()
        let bot = try await knownBot()
        if lastDiscovery == nil { try await discover() }
        var report = DiscordCheckReport(botID: bot.id, botName: bot.username, guilds: [], channels: [],
                                        budget: budget())
        for guild in guilds.values.sorted(by: { $0.name < $1.name }) {
            report.guilds.append("\(guild.name) (\(guild.id))")
            let listed = try await client.get("/guilds/\(guild.id)/channels", as: [LenientElement<DiscordChannel>].self)
            for case .value(let channel) in listed where channel.type == 0 || channel.type == 5 {
                guard configuration.channels.isEmpty || configuration.channels.contains(channel.id) else { continue }
                var permissions = DiscordPermissions.compute(
                    guildID: guild.id, memberID: bot.id, memberRoles: guild.memberRoles,
                    roles: guild.rolePermissions, overwrites: channel.permissionOverwrites ?? [])
                if guild.rolePermissions.isEmpty { permissions = [] }
                report.channels.append(DiscordCheckReport.Channel(
                    id: channel.id, name: channel.name ?? channel.id, guild: guild.name,
                    readable: permissions.contains(.viewChannel) && permissions.contains(.readMessageHistory),
                    writable: permissions.contains(.viewChannel) && permissions.contains(.sendMessages),
                    missing: permissions.missing))
            }
        }
        if configuration.mode == .gateway { report.gateway = try await gatewayCheck() }
        report.budget = DiscordPollingBudget.estimate(
            guilds: guilds.count, channels: report.channels.filter(\.readable).count,
            interval: configuration.pollInterval, requestsPerSecond: configuration.pollRequestsPerSecond,
            discoveryEvery: configuration.discoveryInterval)
        return report
    }
}

extension DiscordAdapter {
    /// `GET /gateway/bot` and `GET /applications/@me` (no Gateway connection, no session start spent).
    func gatewayCheck() async throws -> DiscordCheckReport.GatewayCheck {
        let info = try await client.get("/gateway/bot", as: DiscordGatewayBot.self)
        let application = try await client.get("/applications/@me", as: DiscordApplicationInfo.self)
        return DiscordCheckReport.GatewayCheck(
            shards: info.shards, startsRemaining: info.sessionStartLimit.remaining,
            startsTotal: info.sessionStartLimit.total, resetAfter: .milliseconds(info.sessionStartLimit.resetAfter),
            requested: .derived(messageContent: configuration.messageContent),
            messageContentEnabled: DiscordIntents.messageContentEnabled(flags: application.flags ?? 0))
    }
}
