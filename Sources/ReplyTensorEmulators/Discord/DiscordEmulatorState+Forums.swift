import Foundation

/// Forum (15) and media (16) channels and their posts, as discord-api-docs describes them:
/// - topics/threads.mdx, Forums: "A GUILD_FORUM (type 15) channel is similar to a GUILD_TEXT channel, except only
///   threads can be created in them"; "Messages cannot be sent directly in forum channels"; Media Channels: "A
///   GUILD_MEDIA (type 16) channel is similar to a GUILD_FORUM channel in that only threads can be created in them";
/// - topics/threads.mdx, Creating Threads in Forum and Media Channels: "when creating threads in a threads-only
///   channel, a message is created that has the same ID as the thread";
/// - resources/channel.mdx, Start Thread in Forum or Media Channel: "The type of the created thread is
///   PUBLIC_THREAD" (11), listed by `GET /guilds/{id}/threads/active` like any active thread.
extension DiscordEmulatorState {
    /// Channel types in which only threads (posts) live.
    static let threadOnlyTypes: Set<Int> = [15, 16]

    /// A post in a forum or media channel: a public thread and its starter message, both with one id.
    func addPost(forumID: String, title: String, content: String, authorID: String) throws -> (Channel, Message) {
        guard let forum = channels[forumID], Self.threadOnlyTypes.contains(forum.channel.type) else {
            throw EmulatorError("posts live in forum (15) or media (16) channels")
        }
        let id = nextID()
        let thread = DiscordEmulator.Channel(id: id, guildID: forum.channel.guildID, name: title, type: 11,
                                             parentID: forumID)
        channels[id] = ChannelData(channel: thread, overwrites: [])
        messages[id] = []
        let starter = try inject(content: content, authorID: authorID, channelID: id, replyTo: nil, pingReplied: false,
                                 webhook: false, type: nil, id: id)
        return (thread, starter)
    }

    /// The newest post of a forum or media channel (its `last_message_id`).
    func lastPostID(in forumID: String) -> String? {
        channels.values.filter { $0.channel.parentID == forumID }.map(\.channel.id)
            .max { (UInt64($0) ?? 0) < (UInt64($1) ?? 0) }
    }

    typealias Channel = DiscordEmulator.Channel
}
