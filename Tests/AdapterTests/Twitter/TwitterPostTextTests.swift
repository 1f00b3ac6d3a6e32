import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing
import TwitterPlatform

/// What X does to the text of a reply: one cashtag at most (self-serve), and URLs weighed 23 with twitter-text's full
/// list of top-level domains.
@Suite("X: the text of a reply", .serialized)
struct TwitterPostTextTests {
    static func mention(_ x: TwitterEmulator, _ text: String) async -> (TwitterEmulator.Tweet, InboundMessage) {
        let alice = await x.addUser(username: "alice\(Int.random(in: 1000...9999))")
        let tweet = await x.post(text, from: alice)
        let message = InboundMessage(platform: .twitter, id: tweet.id, chat: ChatRef(id: tweet.id, kind: .timeline),
                                     author: Author(id: alice.id), text: text, addressedAs: .mention,
                                     createdAt: Date(), extras: ["summoned": "true"])
        return (tweet, message)
    }

    @Test("the emulator refuses a post with two cashtags with X's 403 and its text")
    func emulatorRefusesTwoCashtags() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let (tweet, _) = await Self.mention(x, "@ReplyTensorBot compare them")
        let signer = OAuth1Signer(credentials: OAuth1Credentials(consumerKey: x.consumerKey, consumerSecret: x.consumerSecret,
                                                                 token: x.accessToken, tokenSecret: x.accessTokenSecret))
        let url = "\(x.apiBase)/2/tweets"
        let body = try JSONSerialization.data(withJSONObject: ["text": "$TAO vs $ETH",
                                                               "reply": ["in_reply_to_tweet_id": tweet.id]])
        let response = try await TwitterTest.http().execute(HTTPRequest(method: "POST", url: url, headers: [
            "Authorization": signer.authorization(method: "POST", url: url, formBody: nil),
            "Content-Type": "application/json"], body: body))
        #expect(response.status == 403)
        let problem = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        #expect(problem?["detail"] as? String == "Posts are limited to a maximum of one cashtag")
        #expect(await x.violations.tooManyCashtags == 1)
        #expect(await x.botPosts.isEmpty)
    }

    @Test("\"$TAO vs $ETH\" goes out with the first cashtag kept and the second defused, not refused")
    func twoCashtagsKeepTheFirst() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let (tweet, message) = await Self.mention(x, "@ReplyTensorBot which is better?")
        let adapter = TwitterTest.adapter(x)
        let answer = "$TAO vs $ETH: different jobs. $SOL too."
        let replyID = try await adapter.post(answer, replyingTo: message, part: 0, idempotencyKey: "c")
        let reply = try #require(await x.tweet(replyID))
        #expect(reply.repliedToID == tweet.id)
        #expect(reply.text == "$TAO vs $\u{200D}ETH: different jobs. $\u{200D}SOL too.")
        #expect(reply.text.replacingOccurrences(of: "\u{200D}", with: "") == answer, "only joiners were added")
        #expect(await x.violations.tooManyCashtags == 0)
        // One cashtag stays one cashtag, untouched.
        let (_, other) = await Self.mention(x, "@ReplyTensorBot and TAO?")
        let single = try await adapter.post("$TAO is the token", replyingTo: other, part: 0, idempotencyKey: "d")
        #expect(await x.tweet(single)?.text == "$TAO is the token")
    }

    @Test("a reply near 280 with a short URL outside the old 29 domains is fitted, not refused by X")
    func shortURLNearTheLimit() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let (tweet, message) = await Self.mention(x, "@ReplyTensorBot where do I read more?")
        let adapter = TwitterTest.adapter(x)
        // 264 weighted characters of words, then a link X weighs 23 (264 + 1 + 23 = 288 > 280); by its letters it
        // would be 264 + 1 + 11 = 276.
        let answer = String(String(repeating: "word ", count: 53).dropLast()) + " tao.finance"
        #expect(adapter.rules.length.measure(answer) == 288)
        let parts = ReplyFitter.fit(answer, rule: adapter.rules.length, overflow: adapter.rules.overflow,
                                    maxParts: adapter.rules.maxParts)
        #expect(parts.count == 1)
        let replyID = try await adapter.post(parts[0], replyingTo: message, part: 0, idempotencyKey: "u")
        let reply = try #require(await x.tweet(replyID))
        #expect(reply.repliedToID == tweet.id)
        #expect(WeightedLength.measure(reply.text) <= 280)
        // A two-cashtag answer at the limit: the joiner is inside the 280 too.
        let (_, near) = await Self.mention(x, "@ReplyTensorBot compare")
        let cashtags = "$TAO vs $ETH " + String(repeating: "x", count: 267)
        #expect(WeightedLength.measure(cashtags) == 280)
        let fitted = ReplyFitter.fit(cashtags, rule: adapter.rules.length, overflow: adapter.rules.overflow,
                                     maxParts: adapter.rules.maxParts)
        let posted = try await adapter.post(fitted[0], replyingTo: near, part: 0, idempotencyKey: "n")
        #expect(WeightedLength.measure(await x.tweet(posted)?.text ?? "") <= 280)
    }
}
