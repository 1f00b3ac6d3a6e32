import Foundation
import Hummingbird

/// The X API v2 objects of the emulator's answers: pages of posts with `includes` and `meta`, and posts with the
/// fields asked for.
extension TwitterEmulatorRoutes {
    /// A newest-first page of `timeline` after `since_id`, with `pagination_token` cursors and expansions.
    func page(of timeline: [TwitterEmulator.Tweet], query: [String: String], headers: [(String, String)]) async
        -> Response {
        let maxResults = Int(query["max_results"] ?? "10") ?? -1
        guard (5...100).contains(maxResults) else {
            return Self.json(400, ["errors": [["parameters": ["max_results": [query["max_results"] ?? ""]],
                                               "message": "The `max_results` query parameter value [\(query["max_results"] ?? "")] is not between 5 and 100"]],
                                   "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                                   "type": "https://api.twitter.com/2/problems/invalid-request"], headers: headers)
        }
        let since = query["since_id"].flatMap { UInt64($0) } ?? 0
        var below = UInt64.max
        if let token = query["pagination_token"] {
            guard token.hasPrefix("pt"), let value = UInt64(token.dropFirst(2), radix: 16) else {
                return Self.problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                                    headers: headers)
            }
            below = value
        }
        let eligible = timeline.filter { (UInt64($0.id) ?? 0) > since && (UInt64($0.id) ?? 0) < below }
        let slice = Array(eligible.prefix(maxResults))
        var meta: [String: Any] = ["result_count": slice.count]
        var body: [String: Any] = [:]
        if !slice.isEmpty {
            var objects: [Any] = []
            for tweet in slice {
                if let raw = await state.rawObjects[tweet.id],
                   let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) {
                    objects.append(object)
                } else {
                    objects.append(await Self.object(tweet, fields: query["tweet.fields"]))
                }
            }
            body["data"] = objects
            await state.billRead(posts: objects.count)
            meta["newest_id"] = slice.first!.id
            meta["oldest_id"] = slice.last!.id
            if eligible.count > slice.count, let last = UInt64(slice.last!.id) {
                meta["next_token"] = "pt" + String(last, radix: 16)
            }
            if query["expansions"] != nil {
                let includes = await self.includes(for: slice, fields: query["tweet.fields"])
                if !includes.isEmpty { body["includes"] = includes }
            }
        }
        body["meta"] = meta
        return Self.json(200, body, headers: headers)
    }

    /// `includes.users` (authors, referenced authors) and `includes.tweets` (referenced posts).
    func includes(for tweets: [TwitterEmulator.Tweet], fields: String?) async -> [String: Any] {
        var userIDs: [String] = []
        var referenced: [TwitterEmulator.Tweet] = []
        for tweet in tweets {
            userIDs.append(tweet.authorID)
            for id in [tweet.repliedToID, tweet.quotedID].compactMap({ $0 }) {
                if let parent = await state.tweet(id) {
                    referenced.append(parent)
                    userIDs.append(parent.authorID)
                }
            }
        }
        var seen: Set<String> = []
        var users: [[String: Any]] = []
        for id in userIDs where seen.insert(id).inserted {
            if let user = await state.users[id] { users.append(["id": user.id, "name": user.name, "username": user.username]) }
        }
        var result: [String: Any] = [:]
        if !users.isEmpty { result["users"] = users }
        if !referenced.isEmpty {
            var objects: [[String: Any]] = []
            for tweet in referenced { objects.append(await Self.object(tweet, fields: fields)) }
            result["tweets"] = objects
        }
        return result
    }

    static func object(_ tweet: TwitterEmulator.Tweet, fields: String?) async -> [String: Any] {
        let wanted = Set((fields ?? "").split(separator: ",").map(String.init))
        var object: [String: Any] = ["id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]]
        if wanted.contains("author_id") { object["author_id"] = tweet.authorID }
        if wanted.contains("conversation_id") { object["conversation_id"] = tweet.conversationID }
        if wanted.contains("created_at") {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            object["created_at"] = formatter.string(from: tweet.createdAt)
        }
        if wanted.contains("in_reply_to_user_id"), let user = tweet.inReplyToUserID { object["in_reply_to_user_id"] = user }
        if wanted.contains("reply_settings") { object["reply_settings"] = "everyone" }
        if wanted.contains("referenced_tweets") {
            var references: [[String: String]] = []
            if let id = tweet.repliedToID { references.append(["type": "replied_to", "id": id]) }
            if let id = tweet.quotedID { references.append(["type": "quoted", "id": id]) }
            if !references.isEmpty { object["referenced_tweets"] = references }
        }
        // A long post (over 280 weighted characters): `text` and `entities` cover its first 280, the whole is in
        // `note_tweet` when asked for ("note_tweet: The full-content of the Tweet, including text beyond 280
        // characters", the Tweet schema of the X API v2 OpenAPI document, api.x.com/2/openapi.json).
        let isLong = TwitterEmulatorText.measure(tweet.text) > 280
        let shown = isLong ? TwitterEmulatorText.truncated(tweet.text) : tweet.text
        object["text"] = shown
        let mentions = isLong ? TwitterEmulatorState.mentions(in: shown) : tweet.mentions
        if wanted.contains("entities"), !mentions.isEmpty { object["entities"] = ["mentions": entities(mentions)] }
        if isLong, wanted.contains("note_tweet") {
            var note: [String: Any] = ["text": tweet.text]
            if !tweet.mentions.isEmpty { note["entities"] = ["mentions": entities(tweet.mentions)] }
            object["note_tweet"] = note
        }
        return object
    }

    static func entities(_ mentions: [(username: String, start: Int, end: Int)]) -> [[String: Any]] {
        mentions.map { ["start": $0.start, "end": $0.end, "username": $0.username] }
    }
}
