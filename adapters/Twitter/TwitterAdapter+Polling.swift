import Foundation
import ReplyTensorCore

extension TwitterAdapter {
    /// `max_results` of a mentions page, and the least X accepts.
    static let pageSize = 100
    static let minimumPageSize = 5

    public func poll(cursors: [String: String]) async throws -> PollPage {
        let me = try await knownMe()
        try await windows.load()
        let now = environment.now()
        if let next = try await environment.state.value(Self.nextPollKey, for: .twitter).flatMap(Double.init),
           next > now.timeIntervalSince1970 + 0.01 {
            return PollPage(nextPollDelay: .milliseconds(Int64((next - now.timeIntervalSince1970) * 1000) + 1))
        }
        if let wait = try await windows.wait(for: [TwitterRateWindows.mentions]) { return PollPage(nextPollDelay: wait) }
        guard let pageSize = try await spend.reserveRead(upTo: Self.pageSize, minimum: Self.minimumPageSize) else {
            let wait = spend.untilNextDay()
            logger.notice("daily_budget_usd reached: no mentions are read until the next UTC day",
                          metadata: ["retry_in": "\(wait)"])
            return PollPage(nextPollDelay: wait)
        }
        if let wait = try await windows.reserve([TwitterRateWindows.mentions]) {
            try await spend.settleRead(reserved: pageSize, returned: 0)
            return PollPage(nextPollDelay: wait)
        }
        var updates: [String: String] = [:]
        var cursor = cursors[Self.sinceCursor]
        let firstRun = cursor == nil
        if firstRun && !configuration.backfillOnFirstRun {
            // Start from now: no backfill of the 800 latest mentions.
            cursor = TweetID.snowflake(at: now)
            updates[Self.sinceCursor] = cursor
        }
        // The overlap re-reads a little before a real cursor; a first-run "now" cursor is taken as it is.
        let sinceID = firstRun ? cursor : cursor.map { TweetID.rewind($0, seconds: configuration.overlapSeconds) }
        let pages = try await readMentions(of: me, sinceID: sinceID, firstPageSize: pageSize,
                                           onePage: firstRun && configuration.backfillOnFirstRun)
        if pages.complete, let advanced = TweetID.newer(cursor, pages.newest), advanced != cursors[Self.sinceCursor] {
            updates[Self.sinceCursor] = advanced
        }
        var messages: [InboundMessage] = []
        for tweet in pages.ordered {
            if let message = inbound(tweet, me: me, users: pages.users, included: pages.included) {
                messages.append(message)
            } else {
                logger.debug("not a mention of the bot; ignored", metadata: ["tweet.id": "\(tweet.id)"])
            }
        }
        let delay = pollInterval(at: environment.now())
        try await environment.state.setValue(String(environment.now().timeIntervalSince1970 + delay.seconds),
                                             for: Self.nextPollKey, platform: .twitter, at: environment.now())
        return PollPage(messages: messages, cursorUpdates: updates, rejected: pages.rejected, nextPollDelay: delay)
    }

    /// Reads the mentions after `sinceID`, page after page while the mentions window and the spend cap allow (the
    /// first request is already reserved in both, for `firstPageSize` posts), or only the first page with `onePage`.
    /// A 429, an unreadable page or the cap stops the reading short: the result is then not `complete`.
    private func readMentions(of me: XUser, sinceID: String?, firstPageSize: Int, onePage: Bool) async throws
        -> TwitterMentionPages {
        var pages = TwitterMentionPages()
        var reader = client.mentionsReader()
        var token: String?
        var size = firstPageSize
        while true {
            if token != nil {
                guard let next = try await spend.reserveRead(upTo: Self.pageSize, minimum: Self.minimumPageSize)
                else {
                    logger.notice("daily_budget_usd reached: the other mentions pages are read on the next UTC day")
                    break
                }
                size = next
                if try await windows.reserve([TwitterRateWindows.mentions]) != nil {
                    try await spend.settleRead(reserved: size, returned: 0)
                    break
                }
            }
            var query: [(String, String)] = []
            if let sinceID { query.append(("since_id", sinceID)) }
            query += [("max_results", String(size)), ("tweet.fields", Self.tweetFields),
                      ("expansions", Self.expansions), ("user.fields", Self.userFields)]
            if let token { query.append(("pagination_token", token)) }
            let returned: Int?
            do {
                returned = try await readPage(of: me, query: query, into: &pages, reader: &reader)
            } catch {
                // Nothing was returned: the reservation goes back (the error matters more than a failed write).
                try? await spend.settleRead(reserved: size, returned: 0)
                throw error
            }
            try await spend.settleRead(reserved: size, returned: returned ?? 0)
            guard returned != nil else { break }
            token = pages.nextToken
            if token == nil || onePage {
                pages.complete = true
                break
            }
        }
        return pages
    }

    /// One mentions page into `pages`: how many posts it returned, or nil after a 429 or an unreadable page.
    private func readPage(of me: XUser, query: [(String, String)], into pages: inout TwitterMentionPages,
                          reader: inout AnswerReader) async throws -> Int? {
        let response = try await client.send("GET", "/2/users/\(me.id)/mentions", query: query)
        try await windows.record(response.headers, window: TwitterRateWindows.mentions)
        if response.status == 429 {
            try await windows.exhaust(TwitterRateWindows.mentions)
            return nil
        }
        try check(response, what: "mentions")
        return pages.read(response.body, client: client, reader: &reader)
    }

    /// `poll_interval_seconds`, or the remaining requests of the mentions window spread evenly until its reset.
    func pollInterval(at now: Date) -> Duration {
        var seconds = configuration.pollIntervalSeconds
        if seconds == 0 {
            seconds = windows[TwitterRateWindows.mentions]?.evenInterval(at: now) ?? configuration.minimumPollInterval
        }
        // The 24-hour caps limit posts, not reads: only the mentions window holds polling back.
        seconds = max(seconds, windows[TwitterRateWindows.mentions]?.wait(at: now) ?? 0)
        seconds = max(seconds, configuration.minimumPollInterval)
        return .milliseconds(Int64(seconds * 1000))
    }
}
