import Foundation

/// Everything the Discord emulator knows: bots, guilds, roles, channels, messages; and what the bots did.
actor DiscordEmulatorState {
    typealias User = DiscordEmulator.User
    typealias Message = DiscordEmulator.Message

    struct Role {
        var id: String
        var name: String
        var permissions: UInt64
        var botID: String?
    }

    struct Overwrite {
        var id: String
        var type: Int
        var allow: UInt64
        var deny: UInt64
    }

    struct GuildData {
        var guild: DiscordEmulator.Guild
        var roles: [Role]
        /// Bot id → its managed role.
        var botRoles: [String: String]
    }

    struct ChannelData {
        var channel: DiscordEmulator.Channel
        var overwrites: [Overwrite]
        var archived = false
    }

    static let view: UInt64 = 1 << 10
    static let send: UInt64 = 1 << 11
    static let history: UInt64 = 1 << 16
    static let defaultPermissions: UInt64 = view | send | history | (1 << 6) | (1 << 14) | (1 << 15)

    var bots: [String: User] = [:]  // token → bot
    var users: [String: User] = [:]
    var guilds: [String: GuildData] = [:]
    var channels: [String: ChannelData] = [:]
    var messages: [String: [Message]] = [:]
    var sent: [DiscordEmulator.SentMessage] = []
    var typing: [String: Int] = [:]
    var nonces: [String: (id: String, at: Date)] = [:]
    var dedupedResends = 0
    var rates = DiscordEmulator.Rates()
    var messageContentIntent = false
    var nonceWindow: TimeInterval = 600
    var postAnswerDelay: Duration = .zero
    /// Message ids whose JSON object is written verbatim (malformed input).
    var rawMessages: [String: String] = [:]
    var limits = DiscordEmulatorLimits()
    private var lastSnowflake: UInt64 = 0

    // MARK: Ids

    func nextID() -> String {
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000) - 1_420_070_400_000
        lastSnowflake = max(lastSnowflake + 1, milliseconds << 22)
        return String(lastSnowflake)
    }

    // MARK: Setup

    func addBot(token: String, username: String) -> User {
        let user = User(id: nextID(), username: username, globalName: nil, bot: true)
        bots[token] = user
        users[user.id] = user
        for id in guilds.keys { join(bot: user, guild: id) }
        return user
    }

    func addUser(username: String, globalName: String?, bot: Bool) -> User {
        let user = User(id: nextID(), username: username, globalName: globalName, bot: bot)
        users[user.id] = user
        return user
    }

    func addGuild(name: String) -> DiscordEmulator.Guild {
        let guild = DiscordEmulator.Guild(id: nextID(), name: name)
        guilds[guild.id] = GuildData(guild: guild, roles: [Role(id: guild.id, name: "@everyone",
                                                                permissions: Self.defaultPermissions)],
                                     botRoles: [:])
        for bot in bots.values { join(bot: bot, guild: guild.id) }
        // Channels a poller must ignore.
        let category = DiscordEmulator.Channel(id: nextID(), guildID: guild.id, name: "Text Channels", type: 4)
        channels[category.id] = ChannelData(channel: category, overwrites: [])
        let voice = DiscordEmulator.Channel(id: nextID(), guildID: guild.id, name: "General", type: 2)
        channels[voice.id] = ChannelData(channel: voice, overwrites: [])
        return guild
    }

    private func join(bot: User, guild: String) {
        let role = Role(id: nextID(), name: bot.username, permissions: Self.defaultPermissions, botID: bot.id)
        guilds[guild]?.roles.append(role)
        guilds[guild]?.botRoles[bot.id] = role.id
    }

    func addRole(guild: String, name: String) -> String {
        let id = nextID()
        guilds[guild]?.roles.append(Role(id: id, name: name, permissions: 0))
        return id
    }

    func managedRole(of botID: String, in guild: String) -> String? { guilds[guild]?.botRoles[botID] }

    func addChannel(guild: String, name: String, type: Int, parent: String?, denyEveryone: UInt64) -> DiscordEmulator.Channel {
        let channel = DiscordEmulator.Channel(id: nextID(), guildID: guild, name: name, type: type, parentID: parent)
        var overwrites: [Overwrite] = []
        if denyEveryone != 0 {
            overwrites.append(Overwrite(id: guild, type: 0, allow: 0, deny: denyEveryone))
        }
        channels[channel.id] = ChannelData(channel: channel, overwrites: overwrites)
        messages[channel.id] = []
        return channel
    }

    func archive(_ channelID: String) { channels[channelID]?.archived = true }

    // MARK: Messages

    func inject(content: String, authorID: String, channelID: String, replyTo: String?, pingReplied: Bool,
                webhook: Bool, type: Int?) throws -> Message {
        guard let data = channels[channelID], let author = users[authorID] else {
            throw EmulatorError("unknown channel or user")
        }
        var message = Message(id: nextID(), channelID: channelID, guildID: data.channel.guildID, author: author,
                              content: content, type: type ?? (replyTo == nil ? 0 : 19), mentions: [],
                              mentionRoles: [], mentionEveryone: false, webhookID: webhook ? nextID() : nil,
                              referenceID: replyTo, nonce: nil)
        message.mentions = mentionedUsers(in: content)
        if let replyTo, pingReplied, let parent = find(replyTo, in: channelID), parent.author.id != authorID,
           !message.mentions.contains(parent.author) {
            message.mentions.append(parent.author)
        }
        message.mentionRoles = mentionedRoles(in: content)
        message.mentionEveryone = content.contains("@everyone") || content.contains("@here")
        messages[channelID, default: []].append(message)
        return message
    }

    func mentionedUsers(in content: String) -> [User] {
        var result: [User] = []
        for match in content.matches(of: /<@!?(\d+)>/) {
            if let user = users[String(match.output.1)], !result.contains(user) { result.append(user) }
        }
        return result
    }

    func mentionedRoles(in content: String) -> [String] {
        var result: [String] = []
        for match in content.matches(of: /<@&(\d+)>/) where !result.contains(String(match.output.1)) {
            result.append(String(match.output.1))
        }
        return result
    }

    func find(_ id: String, in channelID: String) -> Message? {
        messages[channelID]?.first { $0.id == id }
    }

    func lastMessageID(_ channelID: String) -> String? { messages[channelID]?.last?.id }

    /// The permissions `botID` has in `channelID`.
    func permissions(of botID: String, in channelID: String) -> UInt64 {
        guard let data = channels[channelID] else { return 0 }
        let channel = data.parentOrSelf(channels)
        guard let guild = guilds[channel.channel.guildID] else { return 0 }
        let memberRoles = guild.botRoles[botID].map { [$0] } ?? []
        var base = guild.roles.first { $0.id == guild.guild.id }?.permissions ?? 0
        for role in guild.roles where memberRoles.contains(role.id) { base |= role.permissions }
        if base & (1 << 3) != 0 { return .max }
        for overwrite in channel.overwrites where overwrite.id == guild.guild.id {
            base = (base & ~overwrite.deny) | overwrite.allow
        }
        var allow: UInt64 = 0
        var deny: UInt64 = 0
        for overwrite in channel.overwrites where overwrite.type == 0 && memberRoles.contains(overwrite.id) {
            allow |= overwrite.allow
            deny |= overwrite.deny
        }
        base = (base & ~deny) | allow
        for overwrite in channel.overwrites where overwrite.type == 1 && overwrite.id == botID {
            base = (base & ~overwrite.deny) | overwrite.allow
        }
        return base
    }

    func isMember(_ botID: String, of guildID: String) -> Bool { guilds[guildID]?.botRoles[botID] != nil }

    /// Without the MESSAGE_CONTENT intent a bot sees content only of its own messages and of messages mentioning it.
    func visibleContent(_ message: Message, to bot: User) -> String {
        if messageContentIntent || message.author.id == bot.id || message.mentions.contains(where: { $0.id == bot.id }) {
            return message.content
        }
        if let role = guilds[message.guildID]?.botRoles[bot.id], message.mentionRoles.contains(role) {
            return message.content
        }
        return ""
    }

    /// Creates a message from a bot, after validation; `nil` with an error answer otherwise.
    func create(by bot: User, in channelID: String, body: [String: Any]) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], isMember(bot.id, of: data.channel.guildID) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        let permissions = permissions(of: bot.id, in: channelID)
        guard permissions & Self.view != 0 else { return .error(403, code: 50001, "Missing Access") }
        guard permissions & Self.send != 0 else { return .error(403, code: 50013, "Missing Permissions") }
        let content = body["content"] as? String ?? ""
        var fieldErrors: [String: (String, String)] = [:]
        if content.unicodeScalars.count > 2000 {
            fieldErrors["content"] = ("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        }
        let nonce: String? = (body["nonce"] as? String) ?? (body["nonce"] as? Int).map(String.init)
        if let nonce, nonce.count > 25 {
            fieldErrors["nonce"] = ("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        }
        let reference = body["message_reference"] as? [String: Any]
        let referenceID = reference?["message_id"] as? String
        let failIfNotExists = reference?["fail_if_not_exists"] as? Bool
        var replyTo: String?
        if let referenceID {
            if find(referenceID, in: channelID) != nil {
                replyTo = referenceID
            } else if failIfNotExists != false {
                fieldErrors["message_reference"] = ("REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            }
        }
        if !fieldErrors.isEmpty { return .invalidForm(fieldErrors) }
        if content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .error(400, code: 50006, "Cannot send an empty message")
        }
        let enforceNonce = body["enforce_nonce"] as? Bool ?? false
        let nonceKey = "\(bot.id)|\(channelID)|\(nonce ?? "")"
        if enforceNonce, let nonce, !nonce.isEmpty, let earlier = nonces[nonceKey],
           Date().timeIntervalSince(earlier.at) < nonceWindow, let existing = find(earlier.id, in: channelID) {
            dedupedResends += 1
            return .ok(messageJSON(existing, for: bot))
        }
        let allowed = body["allowed_mentions"] as? [String: Any]
        let parse = allowed.map { ($0["parse"] as? [String]) ?? [] }
        let parseAll = parse == nil
        var pings: [String] = []
        var mentions: [User] = []
        if (parseAll || parse!.contains("everyone")), content.contains("@everyone") || content.contains("@here") {
            pings.append("everyone")
        }
        let allowedUsers = (allowed?["users"] as? [String]) ?? []
        // `mentions` lists every user written in the content; `allowed_mentions` only decides who is notified.
        for user in mentionedUsers(in: content) {
            mentions.append(user)
            if parseAll || parse!.contains("users") || allowedUsers.contains(user.id) { pings.append("user:\(user.id)") }
        }
        let allowedRoles = (allowed?["roles"] as? [String]) ?? []
        for role in mentionedRoles(in: content) where parseAll || parse!.contains("roles") || allowedRoles.contains(role) {
            pings.append("role:\(role)")
        }
        let repliedUser = allowed?["replied_user"] as? Bool
        if let replyTo, let parent = find(replyTo, in: channelID), (repliedUser ?? parseAll), !mentions.contains(parent.author) {
            mentions.append(parent.author)
        }
        var message = Message(id: nextID(), channelID: channelID, guildID: data.channel.guildID, author: bot,
                              content: content, type: replyTo == nil ? 0 : 19, mentions: mentions,
                              mentionRoles: pings.filter { $0.hasPrefix("role:") }.map { String($0.dropFirst(5)) },
                              mentionEveryone: pings.contains("everyone"), webhookID: nil, referenceID: replyTo,
                              nonce: nonce)
        if nonce != nil, enforceNonce { nonces[nonceKey] = (message.id, Date()) }
        message.nonce = nonce
        messages[channelID, default: []].append(message)
        sent.append(DiscordEmulator.SentMessage(
            message: message, botID: bot.id, replyTo: replyTo, failIfNotExists: failIfNotExists, allowedParse: parse,
            repliedUser: repliedUser, nonce: nonce, enforceNonce: enforceNonce, contentPings: pings))
        return .ok(messageJSON(message, for: bot))
    }

    func noteTyping(by bot: User, in channelID: String) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], isMember(bot.id, of: data.channel.guildID) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        typing[channelID, default: 0] += 1
        return .noContent
    }

    func injectRaw(channelID: String, authorID: String, _ make: @Sendable (String) -> String) throws -> String {
        let message = try inject(content: "", authorID: authorID, channelID: channelID, replyTo: nil,
                                 pingReplied: false, webhook: false, type: nil)
        rawMessages[message.id] = make(message.id)
        return message.id
    }

    // MARK: Reading

    func channelMessages(for bot: User, channelID: String, query: [String: String]) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], isMember(bot.id, of: data.channel.guildID) else {
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
        guard let data = channels[channelID], isMember(bot.id, of: data.channel.guildID) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        let permissions = permissions(of: bot.id, in: channelID)
        guard permissions & Self.view != 0, permissions & Self.history != 0 else {
            return .error(403, code: 50001, "Missing Access")
        }
        guard let message = find(messageID, in: channelID) else { return .error(404, code: 10008, "Unknown Message") }
        return .ok(messageJSON(message, for: bot))
    }

    func guildList(for bot: User) -> String {
        let list = guilds.values.filter { $0.botRoles[bot.id] != nil }.sorted { $0.guild.id < $1.guild.id }
            .map { data -> [String: Any] in
                ["id": data.guild.id, "name": data.guild.name, "icon": NSNull(), "owner": false,
                 "permissions": String(Self.defaultPermissions), "features": [String]()]
            }
        return Self.json(list)
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

    // MARK: JSON

    func userObject(_ user: User) -> [String: Any] {
        var object: [String: Any] = ["id": user.id, "username": user.username, "discriminator": "0",
                                     "global_name": user.globalName as Any? ?? NSNull(), "avatar": NSNull()]
        if user.bot { object["bot"] = true }
        return object
    }

    func userJSON(_ user: User) -> String { Self.json(userObject(user)) }

    func channelObject(_ data: ChannelData) -> [String: Any] {
        let channel = data.channel
        var object: [String: Any] = [
            "id": channel.id, "type": channel.type, "guild_id": channel.guildID, "name": channel.name,
            "position": 0, "nsfw": false, "rate_limit_per_user": 0,
            "permission_overwrites": data.overwrites.map {
                ["id": $0.id, "type": $0.type, "allow": String($0.allow), "deny": String($0.deny)] as [String: Any]
            },
        ]
        if [0, 5, 10, 11, 12].contains(channel.type) {
            object["last_message_id"] = lastMessageID(channel.id) as Any? ?? NSNull()
            object["topic"] = NSNull()
        }
        if let parent = channel.parentID { object["parent_id"] = parent }
        if [10, 11, 12].contains(channel.type) {
            object["thread_metadata"] = ["archived": data.archived, "locked": false, "auto_archive_duration": 1440,
                                         "archive_timestamp": "2024-01-01T00:00:00.000000+00:00"] as [String: Any]
            object.removeValue(forKey: "permission_overwrites")
        }
        return object
    }

    func messageObject(_ message: Message, for bot: User, nested: Bool = true) -> [String: Any] {
        let timestamp = Self.timestamp(message.id)
        var object: [String: Any] = [
            "id": message.id, "channel_id": message.channelID, "guild_id": message.guildID,
            "author": userObject(message.author), "content": visibleContent(message, to: bot),
            "timestamp": timestamp, "edited_timestamp": NSNull(), "tts": false,
            "mention_everyone": message.mentionEveryone, "mentions": message.mentions.map { userObject($0) },
            "mention_roles": message.mentionRoles, "attachments": [Any](), "embeds": [Any](), "pinned": false,
            "type": message.type, "flags": 0,
        ]
        if let webhook = message.webhookID { object["webhook_id"] = webhook }
        if let nonce = message.nonce { object["nonce"] = nonce }
        if let reference = message.referenceID {
            object["message_reference"] = ["type": 0, "message_id": reference, "channel_id": message.channelID,
                                           "guild_id": message.guildID]
            if nested {
                object["referenced_message"] = find(reference, in: message.channelID)
                    .map { messageObject($0, for: bot, nested: false) as Any } ?? NSNull()
            }
        }
        return object
    }

    func messageJSON(_ message: Message, for bot: User) -> String {
        rawMessages[message.id] ?? Self.json(messageObject(message, for: bot))
    }

    static func timestamp(_ id: String) -> String {
        let milliseconds = ((UInt64(id) ?? 0) >> 22) + 1_420_070_400_000
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension DiscordEmulatorState.ChannelData {
    /// Threads take their permissions from their parent channel.
    func parentOrSelf(_ all: [String: DiscordEmulatorState.ChannelData]) -> DiscordEmulatorState.ChannelData {
        guard [10, 11, 12].contains(channel.type), let parent = channel.parentID, let data = all[parent] else { return self }
        return data
    }
}
