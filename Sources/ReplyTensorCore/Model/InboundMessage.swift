import Foundation

/// Who wrote a message.
public struct Author: Sendable, Hashable, Codable {
    public var id: String
    /// The @handle without the `@`, when the platform has one.
    public var handle: String?
    public var displayName: String?
    /// True for bots, webhooks and other automated senders, when the platform says so.
    public var isBot: Bool

    public init(id: String, handle: String? = nil, displayName: String? = nil, isBot: Bool = false) {
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.isBot = isBot
    }

    /// A readable name for prompts and transcripts.
    public var readableName: String { handle.map { "@\($0)" } ?? displayName ?? id }
}

/// Where a message was written.
public struct ChatRef: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case direct, group, channel, thread, timeline }
    public var id: String
    public var kind: Kind
    /// A sub-conversation inside the chat: a forum topic, a thread, an X conversation id.
    public var threadID: String?
    public var title: String?

    public init(id: String, kind: Kind, threadID: String? = nil, title: String? = nil) {
        self.id = id
        self.kind = kind
        self.threadID = threadID
        self.title = title
    }
}

/// Why the adapter thinks a message is addressed to the bot.
public enum AddressKind: String, Sendable, Codable {
    case mention, reply, command, direct, roleMention
}

/// A message the bot may reply to, or a message of the conversation around it.
public struct InboundMessage: Sendable, Hashable, Codable {
    public var platform: Platform
    /// Unique per platform (adapters qualify per-chat ids, e.g. Telegram `chat:message`).
    public var id: String
    /// The id the platform itself uses for this message (what a reply refers to).
    public var platformMessageID: String
    public var chat: ChatRef
    public var author: Author
    /// The text with the mention of the bot removed.
    public var text: String
    public var addressedAs: AddressKind
    /// The message this one replies to, if any.
    public var replyTo: MessageRef?
    public var createdAt: Date
    /// Adapter-specific values needed to reply (kept as strings so the ledger can store them).
    public var extras: [String: String]

    public init(platform: Platform, id: String, platformMessageID: String? = nil, chat: ChatRef, author: Author,
                text: String, addressedAs: AddressKind, replyTo: MessageRef? = nil, createdAt: Date,
                extras: [String: String] = [:]) {
        self.platform = platform
        self.id = id
        self.platformMessageID = platformMessageID ?? id
        self.chat = chat
        self.author = author
        self.text = text
        self.addressedAs = addressedAs
        self.replyTo = replyTo
        self.createdAt = createdAt
        self.extras = extras
    }

    /// The key under which the ledger knows this message.
    public var key: MentionKey { MentionKey(platform: platform, id: id) }
}

/// A reference to another message, with as much of it as the platform delivered.
public struct MessageRef: Sendable, Hashable, Codable {
    public var id: String
    public var author: Author?
    public var text: String?

    public init(id: String, author: Author? = nil, text: String? = nil) {
        self.id = id
        self.author = author
        self.text = text
    }
}

/// Platform + message id: the identity of a mention in the ledger.
public struct MentionKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var platform: Platform
    public var id: String
    public init(platform: Platform, id: String) {
        self.platform = platform
        self.id = id
    }
    public var description: String { "\(platform):\(id)" }
}
