import Foundation
import ReplyTensorCore

extension TwitterAdapter {
    /// The inbound message for a tweet that summons the bot (mentions it or quotes it), else nil.
    func inbound(_ tweet: XTweet, me: XUser, users: [String: XUser], included: [String: XTweet])
        -> InboundMessage? {
        let handle = (me.username ?? "").lowercased()
        let text = tweet.fullText
        let mentioned = tweet.fullMentions?.contains { $0.username.lowercased() == handle || $0.id == me.id }
            ?? text.lowercased().contains("@" + handle)
        let quotesBot = tweet.quotedID.flatMap { included[$0]?.author_id } == me.id
        guard mentioned || quotesBot else { return nil }
        let authorID = tweet.author_id ?? "unknown"
        let authorUser = users[authorID]
        let author = Author(id: authorID, handle: authorUser?.username, displayName: authorUser?.name,
                            isBot: authorID == me.id)
        var replyTo: MessageRef?
        var addressedAs = AddressKind.mention
        if let parentID = tweet.repliedToID {
            let parent = included[parentID]
            let parentAuthor = parent?.author_id.map { id in
                Author(id: id, handle: users[id]?.username, displayName: users[id]?.name, isBot: id == me.id)
            }
            replyTo = MessageRef(id: parentID, author: parentAuthor, text: parent?.fullText)
            if parent?.author_id == me.id || tweet.in_reply_to_user_id == me.id { addressedAs = .reply }
        }
        let conversation = tweet.conversation_id ?? tweet.id
        var extras = ["summoned": "true", "conversation_id": conversation]
        if let username = authorUser?.username { extras["author_username"] = username }
        return InboundMessage(
            platform: .twitter, id: tweet.id, platformMessageID: tweet.id,
            chat: ChatRef(id: conversation, kind: .timeline, threadID: conversation),
            author: author, text: Self.promptText(text, botHandle: handle), addressedAs: addressedAs,
            replyTo: replyTo, createdAt: Self.date(tweet.created_at) ?? Self.snowflakeDate(tweet.id) ?? environment.now(),
            extras: extras)
    }

    /// The tweet without the leading @mentions of a reply and without the bot's handle.
    static func promptText(_ text: String, botHandle: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false)[...]
        while let first = words.first, first.hasPrefix("@") || first.isEmpty { words = words.dropFirst() }
        var body = words.joined(separator: " ")
        if !botHandle.isEmpty {
            body = body.replacingOccurrences(of: "@" + botHandle, with: "", options: .caseInsensitive)
        }
        let trimmed = body.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return trimmed.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func snowflakeDate(_ id: String) -> Date? {
        guard let value = UInt64(id) else { return nil }
        return Date(timeIntervalSince1970: Double((value >> 22) + TweetID.epochMilliseconds) / 1000)
    }

    /// The replied-to tweet from the expansions (earlier turns come from the engine's conversation log).
    public func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage] {
        guard depth > 0, let parent = message.replyTo, let text = parent.text else { return [] }
        return [InboundMessage(platform: .twitter, id: parent.id, platformMessageID: parent.id, chat: message.chat,
                               author: parent.author ?? Author(id: "unknown"), text: text, addressedAs: .mention,
                               createdAt: Self.snowflakeDate(parent.id) ?? message.createdAt)]
    }
}
