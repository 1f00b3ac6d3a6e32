import Foundation

// Wire types of the X API v2 (https://docs.x.com/x-api), only the fields the adapter reads.

struct XUser: Decodable, Sendable, Hashable {
    var id: String
    var name: String?
    var username: String?
}

struct XReferencedTweet: Decodable, Sendable, Hashable {
    var type: String
    var id: String
}

struct XMention: Decodable, Sendable, Hashable {
    var username: String
    var id: String?
}

struct XEntities: Decodable, Sendable, Hashable {
    var mentions: [XMention]?
}

/// A long post's full text and its entities (`tweet.fields=note_tweet`). The post's own `text` and `entities` cover
/// only its first 280 characters ("note_tweet: The full-content of the Tweet, including text beyond 280 characters",
/// the Tweet schema of the X API v2 OpenAPI document, api.x.com/2/openapi.json).
struct XNoteTweet: Decodable, Sendable, Hashable {
    var text: String?
    var entities: XEntities?
}

struct XTweet: Decodable, Sendable, Hashable {
    var id: String
    var text: String
    var author_id: String?
    var conversation_id: String?
    var created_at: String?
    var in_reply_to_user_id: String?
    var referenced_tweets: [XReferencedTweet]?
    var entities: XEntities?
    var note_tweet: XNoteTweet?

    /// The full text (long posts carry it in `note_tweet`).
    var fullText: String { note_tweet?.text ?? text }
    /// The @mentions of the full text: a long post's from `note_tweet` (its own cover the first 280 characters).
    var fullMentions: [XMention]? { note_tweet?.text != nil ? note_tweet?.entities?.mentions : entities?.mentions }
    var repliedToID: String? { referenced_tweets?.first { $0.type == "replied_to" }?.id }
    var quotedID: String? { referenced_tweets?.first { $0.type == "quoted" }?.id }
}

struct XIncludes: Decodable, Sendable {
    var users: [XUser]?
    var tweets: [XTweet]?
}

struct XMeta: Decodable, Sendable {
    var result_count: Int?
    var newest_id: String?
    var oldest_id: String?
    var next_token: String?
}

/// A problem (RFC 7807) as X reports it, also inside `errors[]`.
struct XProblem: Decodable, Sendable {
    var title: String?
    var detail: String?
    var type: String?
    var status: Int?
    /// Legacy v1.1 shape: `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`.
    var message: String?
    var code: Int?

    var text: String { detail ?? message ?? title ?? "unknown error" }
}

struct XEnvelope<Payload: Decodable & Sendable>: Decodable, Sendable {
    var data: Payload?
    var includes: XIncludes?
    var meta: XMeta?
    var errors: [XProblem]?
}

/// `POST /2/tweets` body.
struct XCreateTweet: Encodable, Sendable {
    struct Reply: Encodable, Sendable { var in_reply_to_tweet_id: String }
    var text: String
    var reply: Reply?
}

struct XCreatedTweet: Decodable, Sendable {
    var id: String
    var text: String?
}

/// Compares tweet ids numerically (they are 64-bit snowflakes; string order is wrong for different lengths).
enum TweetID {
    static func value(_ id: String) -> UInt64? { UInt64(id) }

    static func less(_ lhs: String, _ rhs: String) -> Bool {
        switch (value(lhs), value(rhs)) {
        case let (l?, r?): return l < r
        default: return lhs.count == rhs.count ? lhs < rhs : lhs.count < rhs.count
        }
    }

    static func newer(_ lhs: String?, _ rhs: String?) -> String? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return less(lhs, rhs) ? rhs : lhs
    }

    /// X's epoch for snowflake ids (2010-11-04T01:42:54.657Z), in milliseconds.
    static let epochMilliseconds: UInt64 = 1_288_834_974_657

    /// The smallest id created at `date`: a `since_id` meaning "from now on".
    static func snowflake(at date: Date) -> String {
        let milliseconds = UInt64(Swift.max(0, date.timeIntervalSince1970 * 1000))
        return String((milliseconds &- min(milliseconds, epochMilliseconds)) << 22)
    }

    /// `id` moved back by `seconds` (for the overlap window), never below 1.
    static func rewind(_ id: String, seconds: Double) -> String {
        guard let value = value(id), seconds > 0 else { return id }
        let delta = UInt64(seconds * 1000) << 22
        return String(value > delta ? value - delta : 1)
    }
}

