import Foundation
import Logging
import ReplyTensorCore

/// Discovery: the guilds the bot is in (all pages of them), each guild's roles and the bot's roles, and each guild's
/// readable channels and active threads (forum and media posts are threads too).
extension DiscordAdapter {
    /// Guilds (allowlist or all), each guild's roles and the bot's roles in it.
    func discover() async throws {
        let bot = try await knownBot()
        let listed = try await memberGuilds()
        var found: [String: GuildInfo] = [:]
        for partial in listed where configuration.guilds.isEmpty || configuration.guilds.contains(partial.id) {
            var info = GuildInfo(id: partial.id, name: partial.name)
            do {
                try await paced()
                let roles = try await client.get("/guilds/\(partial.id)/roles", as: [DiscordRole].self)
                for role in roles {
                    info.roleNames[role.id] = role.name
                    info.rolePermissions[role.id] = DiscordPermissions(role.permissions)
                    if role.managed == true, role.tags?.botId == bot.id { info.managedRole = role.id }
                }
                try await paced()
                info.memberRoles = try await client.get("/guilds/\(partial.id)/members/\(bot.id)",
                                                        as: DiscordMember.self).roles
            } catch let error as BotError where error.endsRound {
                throw error
            } catch {
                logger.warning("could not read a guild's roles; role mentions and permission checks are off there",
                               metadata: ["discord.guild_id": "\(partial.id)", "error": "\(error)"])
                if let known = guilds[partial.id] { info = known }
            }
            found[partial.id] = info
        }
        for missing in configuration.guilds where found[missing] == nil {
            logger.warning("configured guild not found: is the bot a member?", metadata: ["discord.guild_id": "\(missing)"])
        }
        guilds = found
        channels = channels.filter { found[$0.value.guildID] != nil }
        muted.removeAll()
        lastDiscovery = ContinuousClock.now
    }

    /// Pages of `GET /users/@me/guilds`, 200 guilds each (the most one page holds), on with `after` = the last guild id
    /// while pages come full.
    func memberGuilds() async throws -> [DiscordPartialGuild] {
        var listed: [DiscordPartialGuild] = []
        var after: String?
        for _ in 0..<Self.maxGuildPages {
            try await paced()
            var query = [("limit", "\(Self.guildPageSize)")]
            if let after { query.append(("after", after)) }
            let page = try await client.get("/users/@me/guilds", query: query, as: [DiscordPartialGuild].self)
            listed += page
            let last = page.map(\.id).reduce(after ?? "0") { DiscordSnowflake.max($0, $1) }
            guard page.count >= Self.guildPageSize, last != after else { return listed }
            after = last
        }
        logger.warning("the bot is in more guilds than one discovery lists; later ones are not watched",
                       metadata: ["discord.guilds": "\(listed.count)"])
        return listed
    }

    /// Guilds in one page of `GET /users/@me/guilds` (the API's maximum), and the pages one discovery reads.
    static let guildPageSize = 200
    static let maxGuildPages = 50

    /// Lists one guild's text and announcement channels and its active threads, with their `last_message_id`.
    func list(_ guild: GuildInfo) async throws {
        try await paced()
        let listed = try await client.get("/guilds/\(guild.id)/channels", as: [LenientElement<DiscordChannel>].self)
        try await paced()
        let threads = try await client.get("/guilds/\(guild.id)/threads/active", as: DiscordThreadList.self).threads
        var seen: Set<String> = []
        var parents: [String: DiscordChannel] = [:]
        for case .value(let channel) in listed { parents[channel.id] = channel }
        for channel in parents.values.filter({ $0.type == 0 || $0.type == 5 }) + threads where channel.isReadableText {
            guard configuration.channels.isEmpty || configuration.channels.contains(channel.id)
                || (channel.parentId.map { configuration.channels.contains($0) } ?? false) else { continue }
            if channel.threadMetadata?.locked == true { continue }
            let overwrites = channel.isThread
                ? (channel.parentId.flatMap { parents[$0]?.permissionOverwrites } ?? [])
                : (channel.permissionOverwrites ?? [])
            let info = ChannelInfo(id: channel.id, guildID: guild.id, name: channel.name ?? channel.id,
                                   type: channel.type, parentID: channel.parentId, lastMessageID: channel.lastMessageId,
                                   overwrites: overwrites)
            if !guild.rolePermissions.isEmpty, let bot {
                let permissions = DiscordPermissions.compute(guildID: guild.id, memberID: bot.id,
                                                             memberRoles: guild.memberRoles,
                                                             roles: guild.rolePermissions, overwrites: overwrites)
                // A channel the bot cannot read answers 403: polling it would only count invalid requests.
                guard permissions.contains(.viewChannel), permissions.contains(.readMessageHistory) else { continue }
            }
            channels[channel.id] = info
            seen.insert(channel.id)
        }
        channels = channels.filter { $0.value.guildID != guild.id || seen.contains($0.key) }
    }
}
