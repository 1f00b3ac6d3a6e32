import Foundation
import ReplyTensorCore

extension TwitterAdapter {
    /// After a crash in `posting`: with `reconcile_posting`, the bot's own reply chain below the mention from
    /// its timeline (`GET /2/users/{id}/tweets` since the mention); otherwise nil (the mention becomes `unknown`).
    public func reconcile(_ message: InboundMessage) async throws -> [String]? {
        guard configuration.reconcilePosting else { return nil }
        let me = try await knownMe()
        try await windows.load()
        if try await windows.reserve([TwitterRateWindows.timeline]) != nil { return nil }
        let response = try await client.send("GET", "/2/users/\(me.id)/tweets", query: [
            ("since_id", message.platformMessageID), ("max_results", "100"),
            ("tweet.fields", "referenced_tweets,conversation_id,author_id"),
        ])
        try await windows.record(response.headers, window: TwitterRateWindows.timeline)
        try check(response, what: "users/tweets")
        guard let envelope = try? JSONDecoder().decode(XEnvelope<[XTweet]>.self, from: response.body) else {
            return nil
        }
        let own = (envelope.data ?? []).sorted { TweetID.less($0.id, $1.id) }
        var chain: [String] = []
        var parent = message.platformMessageID
        while let next = own.first(where: { $0.repliedToID == parent }) {
            chain.append(next.id)
            parent = next.id
        }
        if let last = chain.last { lastPart[message.id] = last }
        return chain
    }
}
