import Foundation

/// The JSON objects of users, channels and messages, as Discord writes them.
extension DiscordEmulatorState {
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
        // resources/channel.mdx: last_message_id is "the id of the last message sent in this channel (or thread for
        // GUILD_FORUM or GUILD_MEDIA channels)".
        if [0, 5, 10, 11, 12, 15, 16].contains(channel.type) {
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
        // A DM's messages carry no guild_id.
        if message.guildID.isEmpty { object.removeValue(forKey: "guild_id") }
        if let webhook = message.webhookID { object["webhook_id"] = webhook }
        if let nonce = message.nonce { object["nonce"] = nonce }
        if let reference = message.referenceID {
            var referenceObject: [String: Any] = ["type": 0, "message_id": reference, "channel_id": message.channelID]
            if !message.guildID.isEmpty { referenceObject["guild_id"] = message.guildID }
            object["message_reference"] = referenceObject
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
