import Foundation
import ReplyTensorCore

extension TwitterAdapter {
    /// After a crash in `posting`: with `reconcile_posting`, the bot's own reply chain below the mention from
    /// its timeline (`GET /2/users/{id}/tweets` since the mention); otherwise nil (the mention becomes `unknown`).
    public func reconcile(_ message: InboundMessage) async throws -> [String]? {
        guard configuration.reconcilePosting else { return nil }
        let me = try await knownMe()
        try await windows.load()
        guard let size = try await spend.reserveRead(upTo: Self.pageSize, minimum: Self.minimumPageSize) else {
            logger.notice("daily_budget_usd reached: the bot's timeline is not read to reconcile")
            return nil
        }
        if try await windows.reserve([TwitterRateWindows.timeline]) != nil {
            try await spend.settleRead(reserved: size, returned: 0)
            return nil
        }
        let envelope: XEnvelope<[XTweet]>?
        do {
            let response = try await client.send("GET", "/2/users/\(me.id)/tweets", query: [
                ("since_id", message.platformMessageID), ("max_results", String(size)),
                ("tweet.fields", "referenced_tweets,conversation_id,author_id"),
            ])
            try await windows.record(response.headers, window: TwitterRateWindows.timeline)
            try check(response, what: "users/tweets")
            envelope = try? JSONDecoder().decode(XEnvelope<[XTweet]>.self, from: response.body)
        } catch {
            try? await spend.settleRead(reserved: size, returned: 0)
            throw error
        }
        try await spend.settleRead(reserved: size, returned: envelope?.data?.count ?? 0)
        guard let envelope else { return nil }
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
