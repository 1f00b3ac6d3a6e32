import Foundation
import Synchronization

/// An in-memory platform for unit tests and benchmarks: messages are injected, posts are recorded. Posting can be
/// made idempotent (by key, like Discord's nonce) and can fail on demand.
public final class InMemoryAdapter: PlatformAdapter {
    public struct Post: Sendable, Hashable {
        public var id: String
        public var text: String
        public var replyTo: String
        public var mentionID: String
        public var part: Int
        public var idempotencyKey: String
        /// When the post was made.
        public var at: Date
    }

    public let platform: Platform
    public let rules: PlatformRules
    public let botIdentity: BotIdentity
    private let state = Mutex(State())

    struct State {
        var inbox: [InboundMessage] = []
        var sequence = 0
        var posts: [Post] = []
        var postsByKey: [String: Post] = [:]
        var postFailures: [BotError] = []
        var pollFailures: [BotError] = []
    }

    public init(platform: Platform = "memory", identity: BotIdentity? = nil, rules: PlatformRules? = nil) {
        self.platform = platform
        self.botIdentity = identity ?? BotIdentity(platform: platform, id: "bot", handle: "replytensor")
        self.rules = rules ?? PlatformRules(length: .utf16(4096))
    }

    /// Makes a message as a user would write it to the bot.
    public func makeMessage(id: String, text: String, author: Author = Author(id: "user", handle: "user"),
                            chat: String = "chat", replyTo: MessageRef? = nil,
                            addressedAs: AddressKind = .mention) -> InboundMessage {
        InboundMessage(platform: platform, id: id, chat: ChatRef(id: chat, kind: .group), author: author, text: text,
                       addressedAs: addressedAs, replyTo: replyTo, createdAt: Date())
    }

    /// Queues messages for the next poll (duplicates allowed: the platform may deliver twice).
    public func inject(_ messages: [InboundMessage]) { state.withLock { $0.inbox.append(contentsOf: messages) } }

    /// The next posts fail with these errors, in order.
    public func failNextPosts(_ errors: [BotError]) { state.withLock { $0.postFailures.append(contentsOf: errors) } }
    public func failNextPolls(_ errors: [BotError]) { state.withLock { $0.pollFailures.append(contentsOf: errors) } }

    public var posts: [Post] { state.withLock { $0.posts } }

    public func identity() async throws -> BotIdentity { botIdentity }

    public func poll(cursors: [String: String]) async throws -> PollPage {
        let (page, failure) = state.withLock { state -> ([InboundMessage], BotError?) in
            if !state.pollFailures.isEmpty { return ([], state.pollFailures.removeFirst()) }
            let page = Array(state.inbox.prefix(100))
            state.inbox.removeFirst(page.count)
            return (page, nil)
        }
        if let failure { throw failure }
        let previous = Int(cursors["position"] ?? "0") ?? 0
        if page.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        return PollPage(messages: page, cursorUpdates: page.isEmpty ? [:] : ["position": "\(previous + page.count)"])
    }

    public func post(_ text: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String)
        async throws -> String {
        let result = state.withLock { state -> Result<String, BotError> in
            if !state.postFailures.isEmpty { return .failure(state.postFailures.removeFirst()) }
            if rules.idempotentPost, let earlier = state.postsByKey[idempotencyKey] { return .success(earlier.id) }
            state.sequence += 1
            let post = Post(id: "r\(state.sequence)", text: text, replyTo: message.platformMessageID,
                            mentionID: message.id, part: part, idempotencyKey: idempotencyKey, at: Date())
            state.posts.append(post)
            state.postsByKey[idempotencyKey] = post
            return .success(post.id)
        }
        return try result.get()
    }

    public func indicateTyping(for message: InboundMessage) async throws {}
}
