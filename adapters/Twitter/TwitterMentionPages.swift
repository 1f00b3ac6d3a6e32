import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// What one poll read from the pages of `GET /2/users/{id}/mentions`: the tweets, the expansions (users and
/// referenced tweets), the newest id seen, and the input it had to reject or repair.
struct TwitterMentionPages {
    var tweets: [XTweet] = []
    var users: [String: XUser] = [:]
    var included: [String: XTweet] = [:]
    var newest: String?
    var rejected: [RejectedInput] = []
    /// The `next_token` of the last page read.
    var nextToken: String?
    /// True once the last page was read (only then may the cursor move to `newest`).
    var complete = false

    /// Reads one page: invalid UTF-8 is repaired (and reported), malformed posts are skipped (and reported). False
    /// when the page is not readable at all.
    mutating func read(_ body: Data, logger: Logger) -> Bool {
        var body = body
        if let repaired = body.repairedUTF8 {
            logger.warning("mentions answer is not valid UTF-8; bad bytes replaced with U+FFFD")
            rejected.append(RejectedInput(reason: "invalid UTF-8", detail: "mentions answer repaired"))
            body = repaired
        }
        let envelope: XEnvelope<[LenientElement<XTweet>]>
        do {
            envelope = try JSONDecoder().decode(XEnvelope<[LenientElement<XTweet>]>.self, from: body)
        } catch {
            logger.warning("mentions answer is not readable; cursor kept", metadata: ["error": "\(error)"])
            rejected.append(RejectedInput(reason: "malformed mentions answer", detail: "\(error)"))
            return false
        }
        for user in envelope.includes?.users ?? [] { users[user.id] = user }
        for tweet in envelope.includes?.tweets ?? [] { included[tweet.id] = tweet }
        newest = TweetID.newer(newest, envelope.meta?.newest_id)
        for slot in envelope.data ?? [] {
            switch slot {
            case .value(let tweet):
                tweets.append(tweet)
                newest = TweetID.newer(newest, tweet.id)
            case .invalid(let id, let error):
                let reason = "\(error)"
                logger.warning("malformed post skipped", metadata: ["tweet.id": "\(id ?? "?")", "error": "\(reason)"])
                rejected.append(RejectedInput(reason: "malformed post", detail: "\(id ?? "?"): \(reason)"))
            }
        }
        nextToken = envelope.meta?.next_token
        return true
    }

    /// The tweets read, each once, oldest first.
    var ordered: [XTweet] {
        var seen: Set<String> = []
        return tweets.filter { seen.insert($0.id).inserted }.sorted { TweetID.less($0.id, $1.id) }
    }
}
