import Foundation
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

    /// Reads one page through `reader` (`TwitterClient.mentionsReader()`): invalid UTF-8 is repaired, malformed
    /// posts are skipped, both reported. The number of posts the page returned (malformed ones too: X bills them),
    /// or nil when the page is not readable at all.
    mutating func read(_ body: Data, client: TwitterClient, reader: inout AnswerReader) -> Int? {
        defer { rejected = reader.rejected }
        guard let envelope = client.readMentions(body, with: &reader) else { return nil }
        for user in envelope.includes?.users ?? [] { users[user.id] = user }
        for tweet in envelope.includes?.tweets ?? [] { included[tweet.id] = tweet }
        newest = TweetID.newer(newest, envelope.meta?.newest_id)
        for tweet in reader.values(of: envelope.data ?? []) {
            tweets.append(tweet)
            newest = TweetID.newer(newest, tweet.id)
        }
        nextToken = envelope.meta?.next_token
        return envelope.data?.count ?? 0
    }

    /// The tweets read, each once, oldest first.
    var ordered: [XTweet] {
        var seen: Set<String> = []
        return tweets.filter { seen.insert($0.id).inserted }.sorted { TweetID.less($0.id, $1.id) }
    }
}
