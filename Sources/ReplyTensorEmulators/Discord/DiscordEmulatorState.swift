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
        /// A DM's two users (type 1).
        var recipients: [String] = []
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
    /// How long a `nonce` + `enforce_nonce` is remembered. discord-api-docs, resources/message.mdx, Create Message:
    /// "If true and nonce is present, it will be checked for uniqueness in the past few minutes" — after that a
    /// resend creates a second message. Three minutes here; tests shorten it.
    var nonceWindow: TimeInterval = 180
    /// Until when Cloudflare refuses every request of this IP (an invalid-request ban).
    var ipBannedUntil: Date?
    var postAnswerDelay: Duration = .zero
    /// Message creations still to come whose answer is cut off.
    var droppedPostAnswers = 0
    /// Message ids whose JSON object is written verbatim (malformed input).
    var rawMessages: [String: String] = [:]
    var limits = DiscordEmulatorLimits()
    /// The Gateway's connections and sessions.
    var gateway = DiscordGatewayBook()
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
}
