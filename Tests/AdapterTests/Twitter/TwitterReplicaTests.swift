import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorStore
import Testing
import TwitterPlatform

/// Two X adapters sharing one SQLite store with `isSharedStore` (two replicas in one process) against one X
/// emulator: X's rules hold for both together.
@Suite("X adapter replicas sharing one store", .serialized)
struct TwitterReplicaTests {
    static func sharedStore() throws -> SQLiteStore {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("replytensor-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteStore(path: folder.appendingPathComponent("store.sqlite").path)
    }

    static func mentions(_ x: TwitterEmulator, count: Int) async -> [InboundMessage] {
        let alice = await x.addUser(username: "alice")
        var mentions: [InboundMessage] = []
        for index in 0..<count {
            let tweet = await x.post("@ReplyTensorBot question \(index)", from: alice)
            mentions.append(InboundMessage(platform: .twitter, id: tweet.id, chat: ChatRef(id: tweet.id, kind: .timeline),
                                           author: Author(id: alice.id), text: "q", addressedAs: .mention,
                                           createdAt: Date(), extras: ["summoned": "true"]))
        }
        return mentions
    }

    /// Posts a reply to each mention, waiting out every rate-limit wait the adapter asks for (as the engine does);
    /// returns how many waits there were.
    static func postAll(_ adapter: TwitterAdapter, _ mentions: [InboundMessage]) async throws -> Int {
        var waits = 0
        for mention in mentions {
            while true {
                do {
                    _ = try await adapter.post("answer to \(mention.id)", replyingTo: mention, part: 0,
                                               idempotencyKey: mention.id)
                    break
                } catch let error as BotError where error.code == .rateLimited && !error.isPermanent {
                    waits += 1
                    try await Task.sleep(for: min(error.retryAfter ?? .seconds(1), .seconds(5)))
                }
            }
        }
        return waits
    }

    @Test("a burst of posts from two replicas stays inside the emulator's post window")
    func burstInsideWindow() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        // The emulator answers a post past its window with 429 and counts it (X: "x-rate-limit-remaining" is what
        // is left of the 15-minute window, https://docs.x.com/x-api/fundamentals/rate-limits); 4 per 3 s here.
        await x.setRateLimit(.createTweet, limit: 4, windowSeconds: 3)
        let store = try Self.sharedStore()
        let mentions = await Self.mentions(x, count: 13)
        let a = TwitterTest.adapter(x, state: store, shared: true, budget: 0)
        let b = TwitterTest.adapter(x, state: store, shared: true, budget: 0)
        // The first answer teaches the window (a window no answer described yet limits nothing).
        _ = try await Self.postAll(a, [mentions[0]])
        async let waitsA = Self.postAll(a, Array(mentions[1..<7]))
        async let waitsB = Self.postAll(b, Array(mentions[7...]))
        let waits = try await waitsA + waitsB
        #expect(waits > 0, "13 posts at 4 per 3 s must have waited")
        #expect(await x.violations.requestsWhileExhausted == 0)
        #expect(await x.violations.exhaustedByEndpoint["tweets/create"] == nil)
        for mention in mentions {
            #expect(await x.replies(to: mention.id).count == 1, "one reply to \(mention.id)")
        }
        #expect(await x.botPosts.count == 13)
    }

    @Test("the daily post budget counts both replicas, continuing the count a one-process store kept")
    func budgetInSum() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let store = try Self.sharedStore()
        let mentions = await Self.mentions(x, count: 10)
        // Two posts counted by one process (the two-key form), then the store is shared.
        let single = TwitterTest.adapter(x, state: store, budget: 5)
        _ = try await Self.postAll(single, Array(mentions[0..<2]))
        #expect(try await store.value("post_budget.used", for: .twitter) == "2")
        let a = TwitterTest.adapter(x, state: store, shared: true, budget: 5)
        let b = TwitterTest.adapter(x, state: store, shared: true, budget: 5)
        async let refusedA = Self.refusals(a, Array(mentions[2..<6]))
        async let refusedB = Self.refusals(b, Array(mentions[6...]))
        let refused = await refusedA + refusedB
        #expect(refused == 5, "8 tries, 3 left in the budget")
        #expect(await x.botPosts.count == 5)
        #expect(try await a.postsToday() == 5)
        #expect(try await b.postsToday() == 5)
        // Both replicas' spend is counted together too (the default $0.01 per post without a URL).
        #expect(abs(try await b.spentToday() - 0.05) < 1e-9)
    }

    /// Posts to each mention; returns how many the budget refused (anything else fails the test).
    static func refusals(_ adapter: TwitterAdapter, _ mentions: [InboundMessage]) async -> Int {
        var refused = 0
        for mention in mentions {
            do {
                _ = try await adapter.post("answer to \(mention.id)", replyingTo: mention, part: 0,
                                           idempotencyKey: mention.id)
            } catch let error as BotError where error.isPermanent && error.message.contains("daily_post_budget") {
                refused += 1
            } catch {
                Issue.record("unexpected error: \(error)")
            }
        }
        return refused
    }

    @Test("two concurrent OAuth 2.0 refreshes rotate once; both replicas work, also after a revocation")
    func oneRotation() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setAccessTokenLifetime(3600)
        let seed = await x.issueRefreshToken()
        let store = try Self.sharedStore()
        let auth = TwitterConfiguration.Auth.oauth2(OAuth2Credentials(clientID: x.clientID, clientSecret: x.clientSecret,
                                                                     initialRefreshToken: seed))
        let a = TwitterTest.adapter(x, auth: auth, state: store, shared: true)
        let b = TwitterTest.adapter(x, auth: auth, state: store, shared: true)
        async let first = a.identity()
        async let second = b.identity()
        let (identityA, identityB) = try await (first, second)
        #expect(identityA.id == x.bot.id && identityB.id == x.bot.id)
        #expect(await x.refreshCount == 1, "one rotation for both replicas")
        #expect(await a.refreshCount() + b.refreshCount() == 1)
        // X stops accepting the access token: both get a 401, one replica rotates, the other uses its result.
        await x.revokeAccessTokens()
        async let againA = a.verify()
        async let againB = b.verify()
        _ = try await (againA, againB)
        #expect(await x.refreshCount == 2)
        #expect(await x.violations.refreshTokenReuse == 0, "no replica sent a refresh token rotated away")
        let mention = await Self.mentions(x, count: 1)[0]
        #expect(try await Self.postAll(b, [mention]) == 0)
        #expect(await x.replies(to: mention.id).count == 1)
        let stored = try #require(try await store.token(OAuth2Session.refreshTokenName))
        #expect(stored != seed)
        #expect(try await store.value(OAuth2Session.accessTokenName, for: .twitter) == nil,
                "the access token is kept with the tokens only")
        #expect(try await store.token(OAuth2Session.accessTokenName) != nil)
    }

    @Test("the emulator refuses a refresh token already rotated away")
    func rotatedAwayRefused() async throws {
        // X rotates refresh tokens: each refresh returns a new one
        // (https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code, "Refresh
        // tokens"), and RFC 6749 §6 lets the server revoke the old one, which X does: the replicas' test above
        // only proves something if a rotated-away token is refused.
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let seed = await x.issueRefreshToken()
        let fresh = TwitterTest.adapter(x, auth: .oauth2(OAuth2Credentials(
            clientID: x.clientID, clientSecret: x.clientSecret, initialRefreshToken: seed)))
        _ = try await fresh.identity()
        let spent = TwitterTestState()
        try await spent.saveToken(OAuth2Session.refreshTokenName, value: seed, at: Date())
        let stale = TwitterTest.adapter(x, auth: .oauth2(OAuth2Credentials(
            clientID: x.clientID, clientSecret: x.clientSecret, initialRefreshToken: "")), state: spent)
        let error = await #expect(throws: BotError.self) { try await stale.identity() }
        #expect(error?.code == .platformStopped)
        #expect(await x.violations.refreshTokenReuse == 1)
        #expect(await x.refreshCount == 1)
    }
}
