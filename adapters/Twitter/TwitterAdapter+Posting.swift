import Foundation
import ReplyTensorCore
import ReplyTensorHTTP

extension TwitterAdapter {
    /// Posts one reply tweet. The first part replies to the mention (only mentions: X forbids replies to posts
    /// whose author did not summon the bot); later parts of a thread reply to the previous part. The text goes out
    /// with at most one cashtag (`PostText.prepared`), counted in the post budget and the spend cap first.
    public func post(_ answer: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String)
        async throws -> String {
        guard message.extras["summoned"] == "true" else {
            throw BotError(.forbidden, "refusing to reply to tweet \(message.platformMessageID): it does not mention "
                               + "the bot", platform: .twitter, isPermanent: true)
        }
        await postLock.acquire()
        defer { postLock.release() }
        let target = part == 0 ? message.platformMessageID : (lastPart[message.id] ?? message.platformMessageID)
        let text = PostText.prepared(answer)
        if text != answer {
            logger.info("more than one cashtag: the first kept, the others defused (X allows one per post)",
                        metadata: ["mention.id": "\(message.id)"])
        }
        try await windows.load()
        if let wait = try await windows.reserve([TwitterRateWindows.post, TwitterRateWindows.appCap,
                                       TwitterRateWindows.userCap]) {
            throw BotError(.rateLimited, "POST /2/tweets: rate limit window exhausted", platform: .twitter,
                           retryAfter: wait, scope: "global")
        }
        try await budget.reserve()
        let price = spend.postPrice(of: text)
        do {
            try await spend.reserve(price.micros, for: "this post (\(price.key))")
        } catch {
            try await budget.refund()
            if (error as? BotError)?.isPermanent == true {
                logger.warning("daily_budget_usd reached: not posting", metadata: ["mention.id": "\(message.id)",
                                                                                    "error": "\(error)"])
            }
            throw error
        }
        let body = XCreateTweet(text: text, reply: .init(in_reply_to_tweet_id: target))
        let response: HTTPResponse
        do {
            response = try await client.send("POST", "/2/tweets", json: try JSONEncoder().encode(body),
                                             delivery: .unknown)
        } catch let error as BotError {
            if error.delivery == .notDelivered {
                try await budget.refund()
                try await spend.refund(price.micros)
            }
            throw error
        }
        try await windows.record(response.headers, window: TwitterRateWindows.post)
        let key = "\(message.id):\(part)"
        guard response.isSuccess else {
            try await settleFailure(response, key: key, price: price.micros)
            throw postFailure(response, earlierUncertain: uncertainPosts.contains(key))
        }
        guard let created = try? JSONDecoder().decode(XEnvelope<XCreatedTweet>.self, from: response.body).data
        else {
            throw BotError(.decoding, "POST /2/tweets: created, but the answer is unreadable", platform: .twitter,
                           httpStatus: response.status, delivery: .unknown)
        }
        lastPart[message.id] = created.id
        uncertainPosts.remove(key)
        return created.id
    }

    /// What an unsuccessful `POST /2/tweets` leaves behind: a 4xx gives the post back to the budget and its `price`
    /// to the spend cap (a 429 also closes the post window); a 5xx may or may not have created the tweet, so both
    /// keep it counted and a resend that X calls a duplicate then means the first one went out.
    private func settleFailure(_ response: HTTPResponse, key: String, price: Int) async throws {
        switch response.status {
        case 429:
            try await budget.refund()
            try await spend.refund(price)
            try await windows.exhaust(TwitterRateWindows.post)
        case 400..<500:
            try await budget.refund()
            try await spend.refund(price)
        default:
            uncertainPosts.insert(key)
        }
    }
}
