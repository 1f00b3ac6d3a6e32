import Foundation
import ReplyTensorCore

extension TwitterAdapter {
    public func poll(cursors: [String: String]) async throws -> PollPage {
        let me = try await knownMe()
        try await windows.load()
        let now = environment.now()
        if let next = try await environment.state.value(Self.nextPollKey, for: .twitter).flatMap(Double.init),
           next > now.timeIntervalSince1970 + 0.01 {
            return PollPage(nextPollDelay: .milliseconds(Int64((next - now.timeIntervalSince1970) * 1000) + 1))
        }
        if let wait = try await windows.reserve([TwitterRateWindows.mentions]) {
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
        let pages = try await readMentions(of: me, sinceID: sinceID,
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

    /// Reads the mentions after `sinceID`, page after page while the mentions window allows (the first request is
    /// already reserved), or only the first page with `onePage`. A 429 or an unreadable page stops the reading
    /// short: the result is then not `complete`.
    private func readMentions(of me: XUser, sinceID: String?, onePage: Bool) async throws -> TwitterMentionPages {
        var pages = TwitterMentionPages()
        var reader = client.mentionsReader()
        var token: String?
        while true {
            if token != nil, try await windows.reserve([TwitterRateWindows.mentions]) != nil { break }
            var query: [(String, String)] = []
            if let sinceID { query.append(("since_id", sinceID)) }
            query += [("max_results", "100"), ("tweet.fields", Self.tweetFields), ("expansions", Self.expansions),
                      ("user.fields", Self.userFields)]
            if let token { query.append(("pagination_token", token)) }
            let response = try await client.send("GET", "/2/users/\(me.id)/mentions", query: query)
            try await windows.record(response.headers, window: TwitterRateWindows.mentions)
            if response.status == 429 {
                try await windows.exhaust(TwitterRateWindows.mentions)
                break
            }
            try check(response, what: "mentions")
            guard pages.read(response.body, client: client, reader: &reader) else { break }
            token = pages.nextToken
            if token == nil || onePage {
                pages.complete = true
                break
            }
        }
        return pages
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
