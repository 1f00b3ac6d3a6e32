import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing
import TwitterPlatform

@Suite("X adapter against the loopback X emulator", .serialized)
struct TwitterAdapterTests {
    @Test("users/me identity over a signed OAuth 1.0a request; a wrong secret is a clear 401 stop")
    func identity() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let identity = try await TwitterTest.adapter(x).identity()
        #expect(identity.id == x.bot.id)
        #expect(identity.handle == "ReplyTensorBot")
        let wrong = TwitterTest.adapter(x, auth: .oauth1(OAuth1Credentials(
            consumerKey: x.consumerKey, consumerSecret: "wrong-secret", token: x.accessToken,
            tokenSecret: x.accessTokenSecret)))
        let error = await #expect(throws: BotError.self) { try await wrong.identity() }
        #expect(error?.code == .platformStopped)
        #expect(error?.description.contains("wrong-secret") == false)
        #expect(await x.violations.unauthorized == 1)
    }

    @Test("first run starts from now; later polls page back to the cursor, oldest first, cursor advanced once")
    func pollingAndPagination() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let alice = await x.addUser(username: "alice")
        let old = await x.post("@ReplyTensorBot an old question", from: alice)
        try await Task.sleep(for: .milliseconds(40))
        let adapter = TwitterTest.adapter(x)
        var cursors: [String: String] = [:]
        let first = try await adapter.poll(cursors: cursors)
        let start = try #require(first.cursorUpdates[TwitterAdapter.sinceCursor])
        #expect(UInt64(start)! > UInt64(old.id)!, "the first cursor is 'now'")
        #expect(first.messages.isEmpty, "no backfill on the first run")
        for (key, value) in first.cursorUpdates { cursors[key] = value }
        var posted: [TwitterEmulator.Tweet] = []
        for index in 0..<250 { posted.append(await x.post("@replytensorbot question \(index)", from: alice)) }
        _ = await x.post("just chatting, not a mention", from: alice)
        let early = try await adapter.poll(cursors: cursors)
        #expect(early.messages.isEmpty && early.nextPollDelay > .zero, "the derived interval holds even when asked early")
        try await Task.sleep(for: early.nextPollDelay)
        let page = try await adapter.poll(cursors: cursors)
        let ids = page.messages.map(\.id)
        #expect(ids.contains(posted[0].id) && ids.contains(posted[249].id))
        #expect(Set(posted.map(\.id)).isSubset(of: Set(ids)))
        #expect(ids == ids.sorted { UInt64($0)! < UInt64($1)! }, "oldest first, numeric order")
        #expect(page.cursorUpdates[TwitterAdapter.sinceCursor] == posted[249].id)
        #expect(page.messages.first { $0.id == posted[3].id }?.text == "question 3")
        let mentionRequests = await x.recorder.requests(path: "/mentions")
        #expect(mentionRequests.count == 1 + 3, "250 mentions = 3 pages of 100")
        #expect(mentionRequests.last?.query["pagination_token"] != nil)
        #expect(mentionRequests.allSatisfy { $0.query["max_results"] == "100" })
        try await Task.sleep(for: page.nextPollDelay)
        let empty = try await adapter.poll(cursors: [TwitterAdapter.sinceCursor: posted[249].id])
        #expect(empty.cursorUpdates.isEmpty)
        #expect(empty.messages.allSatisfy { ids.contains($0.id) }, "only the overlap window is re-read")
    }

    @Test("the emulator's mentions: data absent when empty, includes, meta, the 800 cap, since_id exclusive")
    func emulatorMentionsShape() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let http = TwitterTest.http()
        let signer = OAuth1Signer(credentials: OAuth1Credentials(consumerKey: x.consumerKey, consumerSecret: x.consumerSecret,
                                                                 token: x.accessToken, tokenSecret: x.accessTokenSecret))
        func get(_ query: String) async throws -> (HTTPResponse, [String: Any]) {
            let url = "\(x.apiBase)/2/users/\(x.bot.id)/mentions?\(query)"
            let response = try await http.execute(HTTPRequest(url: url, headers: [
                "Authorization": signer.authorization(method: "GET", url: url, formBody: nil)]))
            return (response, (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:])
        }
        let (emptyResponse, empty) = try await get("max_results=5")
        #expect(emptyResponse.status == 200)
        #expect(empty["data"] == nil)
        #expect((empty["meta"] as? [String: Any])?["result_count"] as? Int == 0)
        #expect(emptyResponse.headers["x-rate-limit-remaining"] != nil)
        let alice = await x.addUser(username: "alice", name: "Alice")
        let root = await x.post("a thought", from: alice)
        var last: TwitterEmulator.Tweet?
        for index in 0..<805 { last = await x.post("@ReplyTensorBot \(index)", from: alice, replyTo: index == 0 ? root.id : nil) }
        await x.setMentionsCap(800)
        var total = 0
        var token: String?
        repeat {
            let (_, page) = try await get("max_results=100&expansions=author_id,referenced_tweets.id" + (token.map { "&pagination_token=\($0)" } ?? ""))
            total += (page["data"] as? [Any])?.count ?? 0
            token = (page["meta"] as? [String: Any])?["next_token"] as? String
            let users = (page["includes"] as? [String: Any])?["users"] as? [[String: Any]]
            #expect(users?.contains { $0["username"] as? String == "alice" } == true)
        } while token != nil
        #expect(total == 800, "only the latest 800 mentions are reachable")
        let (_, since) = try await get("max_results=10&since_id=\(last!.id)")
        #expect(since["data"] == nil)
        let (bad, _) = try await get("max_results=101")
        #expect(bad.status == 400)
    }

    @Test("replies go to the mention with in_reply_to_tweet_id; duplicate and reply-not-allowed are permanent")
    func posting() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let alice = await x.addUser(username: "alice")
        let adapter = TwitterTest.adapter(x)
        let start = try await adapter.poll(cursors: [:])
        let mention = await x.post("@ReplyTensorBot what is a subnet?", from: alice)
        try await Task.sleep(for: start.nextPollDelay)
        let page = try await adapter.poll(cursors: start.cursorUpdates)
        let message = try #require(page.messages.first { $0.id == mention.id })
        let replyID = try await adapter.post("A subnet is a market.", replyingTo: message, part: 0, idempotencyKey: "k")
        let reply = try #require(await x.tweet(replyID))
        #expect(reply.repliedToID == mention.id)
        let requests = await x.recorder.requests(path: "/2/tweets")
        #expect(requests.last?.json?["reply"] as? [String: String] == ["in_reply_to_tweet_id": mention.id])
        // The same text again: 403 duplicate content, permanent, with X's text.
        let duplicate = await #expect(throws: BotError.self) {
            try await adapter.post("A subnet is a market.", replyingTo: message, part: 0, idempotencyKey: "k")
        }
        #expect(duplicate?.isPermanent == true)
        #expect(duplicate?.message.contains("duplicate content") == true)
        // A tweet that does not mention the bot: the adapter refuses before any request.
        var stranger = message
        stranger.extras["summoned"] = nil
        let before = await x.recorder.requests(path: "/2/tweets").count
        await #expect(throws: BotError.self) {
            try await adapter.post("hi", replyingTo: stranger, part: 0, idempotencyKey: "s")
        }
        #expect(await x.recorder.requests(path: "/2/tweets").count == before)
        // X refuses a reply to a post whose author did not summon the bot (thread continuation refused).
        await x.setThreadContinuation(allowed: false)
        let threaded = TwitterTest.adapter(x, thread: true)
        let partOne = try await threaded.post("part one of a thread", replyingTo: message, part: 0, idempotencyKey: "t0")
        let refused = await #expect(throws: BotError.self) {
            try await threaded.post("part two of a thread", replyingTo: message, part: 1, idempotencyKey: "t1")
        }
        #expect(refused?.isPermanent == true)
        #expect(refused?.message.contains("not allowed") == true)
        #expect(await x.tweet(partOne)?.repliedToID == mention.id)
        #expect(await x.requestsIn(path: "/2/tweets").last?.json?["reply"] as? [String: String] == ["in_reply_to_tweet_id": partOne])
    }

    @Test("daily_post_budget is enforced and survives a new adapter on the same store")
    func budget() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let alice = await x.addUser(username: "alice")
        let state = TwitterTestState()
        var mentions: [InboundMessage] = []
        for index in 0..<4 {
            let tweet = await x.post("@ReplyTensorBot q\(index)", from: alice)
            mentions.append(InboundMessage(platform: .twitter, id: tweet.id, chat: ChatRef(id: tweet.id, kind: .timeline),
                                           author: Author(id: alice.id), text: "q", addressedAs: .mention,
                                           createdAt: Date(), extras: ["summoned": "true"]))
        }
        let first = TwitterTest.adapter(x, state: state, budget: 3)
        _ = try await first.post("a0", replyingTo: mentions[0], part: 0, idempotencyKey: "0")
        _ = try await first.post("a1", replyingTo: mentions[1], part: 0, idempotencyKey: "1")
        let second = TwitterTest.adapter(x, state: state, budget: 3)
        _ = try await second.post("a2", replyingTo: mentions[2], part: 0, idempotencyKey: "2")
        let refused = await #expect(throws: BotError.self) {
            try await second.post("a3", replyingTo: mentions[3], part: 0, idempotencyKey: "3")
        }
        #expect(refused?.isPermanent == true)
        #expect(refused?.message.contains("daily_post_budget") == true)
        #expect(await x.botPosts.count == 3)
        #expect(try await second.postsToday() == 3)
    }

    @Test("24-hour post caps (x-app-limit-24hour-*): no post while exhausted, polling unaffected; 5xx then duplicate → unknown")
    func dailyCaps() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setDailyCaps(app: 2, user: 5, windowSeconds: 3)
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let alice = await x.addUser(username: "alice")
        var mentions: [InboundMessage] = []
        for index in 0..<3 {
            let tweet = await x.post("@ReplyTensorBot cap \(index)", from: alice)
            mentions.append(InboundMessage(platform: .twitter, id: tweet.id, chat: ChatRef(id: tweet.id, kind: .timeline),
                                           author: Author(id: alice.id), text: "q", addressedAs: .mention,
                                           createdAt: Date(), extras: ["summoned": "true"]))
        }
        let adapter = TwitterTest.adapter(x)
        _ = try await adapter.post("c0", replyingTo: mentions[0], part: 0, idempotencyKey: "0")
        _ = try await adapter.post("c1", replyingTo: mentions[1], part: 0, idempotencyKey: "1")
        let limited = await #expect(throws: BotError.self) {
            try await adapter.post("c2", replyingTo: mentions[2], part: 0, idempotencyKey: "2")
        }
        #expect(limited?.code == .rateLimited)
        #expect((limited?.retryAfter ?? .zero) > .zero)
        #expect(await x.recorder.requests(path: "/2/tweets").count == 2, "no request while the cap is spent")
        let poll = try await adapter.poll(cursors: [:])
        #expect(poll.nextPollDelay < .seconds(2), "the post cap does not hold polling back")
        try await Task.sleep(for: limited?.retryAfter ?? .seconds(3))
        await x.setDailyCaps(app: 100, user: 100, windowSeconds: 3)
        // A 503 on the post (X may or may not have created it), then X calls the resend a duplicate: unknown.
        await x.faults.enqueue(.status(503), route: "/2/tweets")
        let failed = await #expect(throws: BotError.self) {
            try await adapter.post("c2", replyingTo: mentions[2], part: 0, idempotencyKey: "2")
        }
        #expect(failed?.isRetryable == true)
        _ = try await adapter.post("c2", replyingTo: mentions[2], part: 0, idempotencyKey: "2")
        await x.faults.enqueue(.status(503), route: "/2/tweets")
        _ = await #expect(throws: BotError.self) {
            try await adapter.post("c0", replyingTo: mentions[0], part: 0, idempotencyKey: "0")
        }
        let duplicate = await #expect(throws: BotError.self) {
            try await adapter.post("c0", replyingTo: mentions[0], part: 0, idempotencyKey: "0")
        }
        #expect(duplicate?.delivery == .unknown, "after a 5xx, a duplicate means the first post went out")
        #expect(await x.violations.requestsWhileExhausted == 0)
    }

    @Test("rate-limit headers: derived interval, no request while the window is exhausted, state persisted")
    func rateLimits() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 3, windowSeconds: 4)
        let state = TwitterTestState()
        let adapter = TwitterTest.adapter(x, state: state)
        var cursors: [String: String] = [:]
        var delays: [Duration] = []
        let clock = ContinuousClock()
        let end = clock.now + .seconds(6)
        while clock.now < end {
            let page = try await adapter.poll(cursors: cursors)
            for (key, value) in page.cursorUpdates { cursors[key] = value }
            delays.append(page.nextPollDelay)
            try await Task.sleep(for: page.nextPollDelay)
        }
        #expect(await x.violations.requestsWhileExhausted == 0)
        #expect(delays.allSatisfy { $0 > .milliseconds(200) }, "the interval is derived from the window: \(delays)")
        let polls = await x.recorder.requests(path: "/mentions").count
        #expect(polls >= 3 && polls <= 6, "\(polls) polls in 6 s with 3 per 4 s")
        // A new adapter on the same state honours the persisted window.
        #expect(try await state.value("rate.mentions", for: .twitter) != nil)
        let restarted = TwitterTest.adapter(x, state: state)
        _ = try await restarted.poll(cursors: cursors)
        #expect(await x.violations.requestsWhileExhausted == 0)
    }

    @Test("a 429 waits until x-rate-limit-reset; 5xx is an error the engine retries")
    func tooManyAndServerErrors() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let adapter = TwitterTest.adapter(x)
        let start = try await adapter.poll(cursors: [:])
        await x.faults.enqueue(.rateLimited(retryAfterSeconds: 3), route: "/mentions")
        try await Task.sleep(for: start.nextPollDelay)
        let limited = try await adapter.poll(cursors: start.cursorUpdates)
        #expect(limited.nextPollDelay >= .seconds(1))
        #expect(limited.cursorUpdates.isEmpty)
        let count = await x.recorder.requests(path: "/mentions").count
        let again = try await adapter.poll(cursors: start.cursorUpdates)
        #expect(again.nextPollDelay > .zero)
        #expect(await x.recorder.requests(path: "/mentions").count == count, "no request before the reset")
        try await Task.sleep(for: limited.nextPollDelay)
        await x.faults.enqueue(.status(503), route: "/mentions")
        let error = await #expect(throws: BotError.self) { try await adapter.poll(cursors: start.cursorUpdates) }
        #expect(error?.isRetryable == true)
    }

    @Test("OAuth 2.0: refresh token rotated and stored before use, single-flight, 401 → one refresh")
    func oauth2() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setAccessTokenLifetime(3600)
        let seed = await x.issueRefreshToken()
        let state = TwitterTestState()
        let auth = TwitterConfiguration.Auth.oauth2(OAuth2Credentials(clientID: x.clientID, clientSecret: x.clientSecret,
                                                                     initialRefreshToken: seed))
        let adapter = TwitterTest.adapter(x, auth: auth, state: state)
        async let a = adapter.identity()
        async let b = adapter.identity()
        _ = try await (a, b)
        #expect(await x.refreshCount == 1, "concurrent callers share one refresh")
        let stored = try #require(try await state.token(OAuth2Session.refreshTokenName))
        #expect(stored != seed)
        // A new process with the same seed in the environment continues from the store, never the spent seed.
        let restarted = TwitterTest.adapter(x, auth: auth, state: state)
        _ = try await restarted.identity()
        #expect(await x.refreshCount == 2)
        #expect(await x.violations.refreshTokenReuse == 0)
        // X stops accepting the access token → 401 → one refresh and one retry.
        await x.revokeAccessTokens()
        _ = try await restarted.verify()
        #expect(await x.refreshCount == 3)
        #expect(await x.violations.refreshTokenReuse == 0)
        // A refresh token X no longer accepts: a clear stop.
        let spent = TwitterTestState()
        try await spent.saveToken(OAuth2Session.refreshTokenName, value: seed, at: Date())
        let spentAdapter = TwitterTest.adapter(x, auth: .oauth2(OAuth2Credentials(clientID: x.clientID,
                                                                                clientSecret: x.clientSecret,
                                                                                initialRefreshToken: "")),
                                               state: spent)
        let error = await #expect(throws: BotError.self) { try await spentAdapter.identity() }
        #expect(error?.code == .platformStopped)
        #expect(error?.message.contains(seed) == false)
    }

    @Test("reconcile finds the bot's own reply after a crash (reconcile_posting)")
    func reconcile() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let alice = await x.addUser(username: "alice")
        let tweet = await x.post("@ReplyTensorBot hello", from: alice)
        let message = InboundMessage(platform: .twitter, id: tweet.id, chat: ChatRef(id: tweet.id, kind: .timeline),
                                     author: Author(id: alice.id), text: "hello", addressedAs: .mention,
                                     createdAt: Date(), extras: ["summoned": "true"])
        #expect(try await TwitterTest.adapter(x).reconcile(message) == nil, "off by default: unknown")
        let adapter = TwitterTest.adapter(x, reconcile: true)
        #expect(try await adapter.reconcile(message) == [])
        let reply = try await adapter.post("hi alice", replyingTo: message, part: 0, idempotencyKey: "r")
        #expect(try await TwitterTest.adapter(x, reconcile: true).reconcile(message) == [reply])
    }
}

extension TwitterEmulator {
    func requestsIn(path: String) async -> [RecordedRequest] { await recorder.requests(path: path) }
}
