import Foundation

/// The read endpoints: a channel's messages, one message, guilds, channels, active threads, roles and members.
extension DiscordEmulatorState {
    func channelMessages(for bot: User, channelID: String, query: [String: String]) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], canUse(bot.id, data) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        let permissions = permissions(of: bot.id, in: channelID)
        guard permissions & Self.view != 0 else { return .error(403, code: 50001, "Missing Access") }
        guard permissions & Self.history != 0 else { return .ok("[]") }
        let limit = min(100, max(1, Int(query["limit"] ?? "50") ?? 50))
        let all = messages[channelID] ?? []
        var page: [Message]
        if let after = query["after"].flatMap(UInt64.init) {
            page = Array(all.filter { UInt64($0.id)! > after }.prefix(limit))
        } else if let before = query["before"].flatMap(UInt64.init) {
            page = Array(all.filter { UInt64($0.id)! < before }.suffix(limit))
        } else {
            page = Array(all.suffix(limit))
        }
        page.reverse()  // newest first, even with `after`
        return .ok("[" + page.map { messageJSON($0, for: bot) }.joined(separator: ",") + "]")
    }

    func singleMessage(for bot: User, channelID: String, messageID: String) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], canUse(bot.id, data) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        let permissions = permissions(of: bot.id, in: channelID)
        guard permissions & Self.view != 0, permissions & Self.history != 0 else {
            return .error(403, code: 50001, "Missing Access")
        }
        guard let message = find(messageID, in: channelID) else { return .error(404, code: 10008, "Unknown Message") }
        return .ok(messageJSON(message, for: bot))
    }

    /// `GET /users/@me/guilds`: resources/user.mdx, Get Current User Guilds — "This endpoint returns 200 guilds by
    /// default"; query `before`, `after` (guild ids) and `limit` ("max number of guilds to return (1-200)", default
    /// 200). A bot in more guilds pages on with `after`; guilds come in id order.
    func guildList(for bot: User, query: [String: String]) -> String {
        var list = guilds.values.filter { $0.botRoles[bot.id] != nil }.map(\.guild)
            .sorted { (UInt64($0.id) ?? 0) < (UInt64($1.id) ?? 0) }
        let limit = min(200, max(1, Int(query["limit"] ?? "200") ?? 200))
        if let after = query["after"].flatMap(UInt64.init) {
            list = Array(list.filter { (UInt64($0.id) ?? 0) > after }.prefix(limit))
        } else if let before = query["before"].flatMap(UInt64.init) {
            list = Array(list.filter { (UInt64($0.id) ?? 0) < before }.suffix(limit))
        } else {
            list = Array(list.prefix(limit))
        }
        return Self.json(list.map { guild -> [String: Any] in
            ["id": guild.id, "name": guild.name, "icon": NSNull(), "owner": false,
             "permissions": String(Self.defaultPermissions), "features": [String]()]
        })
    }

    func guildChannels(for bot: User, guildID: String) -> DiscordEmulatorRoutes.Answer {
        guard isMember(bot.id, of: guildID) else { return .error(403, code: 50001, "Missing Access") }
        let list = channels.values.filter { $0.channel.guildID == guildID && ![10, 11, 12].contains($0.channel.type) }
            .sorted { $0.channel.id < $1.channel.id }.map { channelObject($0) }
        return .ok(Self.json(list))
    }

    func activeThreads(for bot: User, guildID: String) -> DiscordEmulatorRoutes.Answer {
        guard isMember(bot.id, of: guildID) else { return .error(403, code: 50001, "Missing Access") }
        let list = channels.values.filter {
            $0.channel.guildID == guildID && [10, 11, 12].contains($0.channel.type) && !$0.archived
        }.sorted { $0.channel.id < $1.channel.id }.map { channelObject($0) }
        return .ok(Self.json(["threads": list, "members": [Any]()] as [String: Any]))
    }

    func roles(for bot: User, guildID: String) -> DiscordEmulatorRoutes.Answer {
        guard let guild = guilds[guildID], isMember(bot.id, of: guildID) else {
            return .error(403, code: 50001, "Missing Access")
        }
        let list = guild.roles.enumerated().map { index, role -> [String: Any] in
            var object: [String: Any] = ["id": role.id, "name": role.name, "color": 0, "hoist": false,
                                         "position": index, "permissions": String(role.permissions),
                                         "managed": role.botID != nil, "mentionable": false]
            if let botID = role.botID { object["tags"] = ["bot_id": botID] }
            return object
        }
        return .ok(Self.json(list))
    }

    func member(for bot: User, guildID: String, userID: String) -> DiscordEmulatorRoutes.Answer {
        guard let guild = guilds[guildID], isMember(bot.id, of: guildID) else {
            return .error(403, code: 50001, "Missing Access")
        }
        guard let user = users[userID] else { return .error(404, code: 10013, "Unknown User") }
        let roles = guild.botRoles[userID].map { [$0] } ?? []
        return .ok(Self.json(["user": userObject(user), "roles": roles, "joined_at": "2024-01-01T00:00:00.000000+00:00",
                              "deaf": false, "mute": false] as [String: Any]))
    }
}
