import Foundation

/// Who may see and send what: permission bits from roles and overwrites, membership, message content visibility.
///
/// Source: discord-api-docs, topics/permissions.mdx, "Permission Overwrites": base permissions from @everyone and
/// the member's roles (ADMINISTRATOR grants all), then the channel's @everyone overwrite, then role overwrites
/// (deny then allow, combined), then the member overwrite; threads use their parent's overwrites.
/// VIEW_CHANNEL (1 << 10), SEND_MESSAGES (1 << 11), READ_MESSAGE_HISTORY (1 << 16). Message content without the
/// MESSAGE_CONTENT intent: topics/gateway.mdx, "Message Content Intent" — content, embeds, attachments and
/// components are empty except in messages the bot sent, DMs, and messages that mention the bot.
extension DiscordEmulatorState {
    /// The permissions `botID` has in `channelID`.
    func permissions(of botID: String, in channelID: String) -> UInt64 {
        guard let data = channels[channelID] else { return 0 }
        if data.channel.type == 1 { return data.recipients.contains(botID) ? Self.view | Self.send | Self.history : 0 }
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

    /// Without the MESSAGE_CONTENT intent (the bot does not ask for it) a bot sees content only of its own messages and
    /// of messages mentioning it.
    func visibleContent(_ message: Message, to bot: User) -> String {
        if channels[message.channelID]?.channel.type == 1 { return message.content }
        if message.author.id == bot.id || message.mentions.contains(where: { $0.id == bot.id }) {
            return message.content
        }
        if let role = guilds[message.guildID]?.botRoles[bot.id], message.mentionRoles.contains(role) {
            return message.content
        }
        return ""
    }
}

extension DiscordEmulatorState.ChannelData {
    /// Threads take their permissions from their parent channel.
    func parentOrSelf(_ all: [String: DiscordEmulatorState.ChannelData]) -> DiscordEmulatorState.ChannelData {
        guard [10, 11, 12].contains(channel.type), let parent = channel.parentID, let data = all[parent] else { return self }
        return data
    }
}
