import Foundation

extension TwitterEmulator {
    /// An X account.
    public struct User: Sendable, Hashable {
        public var id: String
        public var username: String
        public var name: String
    }

    /// A post as the emulator stores it.
    public struct Tweet: Sendable, Hashable {
        public var id: String
        public var text: String
        public var authorID: String
        public var conversationID: String
        public var inReplyToUserID: String?
        /// `referenced_tweets` of type `replied_to`.
        public var repliedToID: String?
        /// `referenced_tweets` of type `quoted`.
        public var quotedID: String?
        public var createdAt: Date
        /// `@usernames` in the text, lowercased, with their code point offsets.
        public var mentions: [(username: String, start: Int, end: Int)]

        public static func == (lhs: Tweet, rhs: Tweet) -> Bool { lhs.id == rhs.id }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }

        func mentions(_ username: String) -> Bool {
            mentions.contains { $0.username == username.lowercased() }
        }
    }

    /// Rate-limited endpoint groups, each with its own 15-minute window (shortenable by tests).
    public enum Endpoint: String, Sendable, CaseIterable {
        case usersMe = "users/me"
        case mentions = "users/mentions"
        case userTweets = "users/tweets"
        case tweetLookup = "tweets/lookup"
        case createTweet = "tweets/create"
    }

    /// What a well-behaved client never causes. Tests assert these stay zero.
    public struct Violations: Sendable, Hashable {
        /// Requests that arrived while their rate-limit window (or a 24-hour cap) was already exhausted.
        public var requestsWhileExhausted = 0
        /// The same, per endpoint group (`users/mentions`, `tweets/create`, …).
        public var exhaustedByEndpoint: [String: Int] = [:]
        /// Refresh tokens presented after they had been used once.
        public var refreshTokenReuse = 0
        /// Replies refused because the author of the target post did not summon the bot.
        public var replyNotAllowed = 0
        /// Requests with a missing or wrong signature / token.
        public var unauthorized = 0
        /// Reply posts refused as duplicate content.
        public var duplicates = 0
        /// Posts refused for carrying more than one cashtag.
        public var tooManyCashtags = 0
    }

    /// What X's pay-per-use would bill (docs.x.com/x-api/getting-started/pricing): reads "per resource returned in
    /// the response", writes per request, a post with a URL as "Content: Create (with URL)".
    public struct Usage: Sendable, Hashable {
        /// Posts returned by reads (mentions, timelines, lookups).
        public var postsRead = 0
        /// Posts created, those with a URL included.
        public var posts = 0
        /// Posts created with a URL.
        public var postsWithURL = 0

        /// The bill at these prices.
        public func cost(read: Double, post: Double, postWithURL: Double) -> Double {
            Double(postsRead) * read + Double(posts - postsWithURL) * post + Double(postsWithURL) * postWithURL
        }
    }

    /// A 403 a read can answer (docs.x.com/x-api/fundamentals/response-codes-and-errors: "403 Forbidden: valid auth
    /// but no permission for this resource or action").
    public enum ReadRefusal: Sendable, Hashable {
        /// The app is not attached to a Project (problem type `client-forbidden`, reason `client-not-enrolled`).
        case clientNotEnrolled
        /// A plain `Forbidden` that says nothing about the app or its credentials.
        case forbidden
    }

    /// A rate-limit window: `limit` requests per `seconds`, starting with the first request.
    struct Window: Sendable {
        var limit: Int
        var seconds: Double
        var resetAt: Int = 0
        var used = 0

        /// Counts a request at `now`; returns false (not counted) when the window is exhausted.
        mutating func take(now: Date) -> Bool {
            let epoch = now.timeIntervalSince1970
            if Double(resetAt) <= epoch {
                resetAt = Int((epoch + seconds).rounded(.up))
                used = 0
            }
            guard used < limit else { return false }
            used += 1
            return true
        }

        var remaining: Int { max(0, limit - used) }
    }
}

/// Snowflake ids like X's: milliseconds since the X epoch shifted left 22 bits, plus a sequence.
struct SnowflakeGenerator: Sendable {
    static let epoch: UInt64 = 1_288_834_974_657
    private var lastMillis: UInt64 = 0
    private var sequence: UInt64 = 0

    mutating func next(at date: Date) -> String {
        var millis = UInt64(date.timeIntervalSince1970 * 1000) - Self.epoch
        if millis <= lastMillis {
            millis = lastMillis
            sequence += 1
            if sequence >= 4096 {
                millis += 1
                sequence = 0
            }
        } else {
            sequence = 0
        }
        lastMillis = millis
        return String(millis << 22 | sequence)
    }
}
