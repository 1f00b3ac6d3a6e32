import Foundation
import ReplyTensorEmulators
import Testing

@Suite("X end to end (real binary)", .serialized)
struct TwitterEndToEndTests {
    @Test("every mention answered exactly once with the right in_reply_to_tweet_id; never a non-mention")
    func answeredOnce() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let bot = try await world.startBotAndWaitForPoll()
        let x = world.x
        let mentions = await world.mentions(20)
        let bob = await x.addUser(username: "bob")
        var noise: [TwitterEmulator.Tweet] = []
        for index in 0..<5 { noise.append(await x.post("talking about ReplyTensorBot without tagging \(index)", from: bob)) }
        let answered = await TwitterWorld.wait(timeout: .seconds(60)) { await world.replyCounts(mentions).allSatisfy { $0 >= 1 } }
        #expect(answered, "\(bot.output.suffix(2000))")
        // A reply to the bot's reply that mentions it again continues the conversation.
        let first = try #require(await x.replies(to: mentions[0].id).first)
        let followUp = await x.post("@ReplyTensorBot and then?", from: bob, replyTo: first.id)
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await world.replyCounts([followUp]) == [1] })
        try await Task.sleep(for: .seconds(2))
        #expect(await world.replyCounts(mentions).allSatisfy { $0 == 1 })
        #expect(await world.replyCounts(noise).allSatisfy { $0 == 0 })
        let posts = await x.botPosts
        let mentionIDs = Set((mentions + [followUp]).map(\.id))
        #expect(posts.allSatisfy { mentionIDs.contains($0.repliedToID ?? "") }, "a reply went to a non-mention")
        let violations = await x.violations
        #expect(violations.replyNotAllowed == 0 && violations.duplicates == 0 && violations.unauthorized == 0)
        #expect(violations.requestsWhileExhausted == 0)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        #expect(try await world.ledger()["answered"] == 21)
    }

    @Test("no request while a window is exhausted, across a restart; every mention still answered")
    func windowsHold() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let x = world.x
        await x.setRateLimit(.mentions, limit: 2, windowSeconds: 4)
        await x.setRateLimit(.createTweet, limit: 3, windowSeconds: 4)
        try world.writeConfig()
        let first = try await world.startBotAndWaitForPoll()
        let early = await world.mentions(6, prefix: "early")
        try await Task.sleep(for: .seconds(5))
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(30)) == 0)
        let second = try world.startBot()
        let late = await world.mentions(6, prefix: "late")
        let done = await TwitterWorld.wait(timeout: .seconds(60)) {
            await world.replyCounts(early + late).allSatisfy { $0 == 1 }
        }
        #expect(done, "\(second.output.suffix(2000))")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        let violations = await x.violations
        let creates = await x.recorder.requests(path: "/2/tweets").map { "\($0.at.timeIntervalSince1970) \($0.status)" }
        #expect(violations.requestsWhileExhausted == 0, "requests into exhausted windows: \(violations.exhaustedByEndpoint) \(creates) FIRST \(first.output.suffix(3000)) SECOND \(second.output.suffix(3000))")
        #expect(await world.replyCounts(early + late).allSatisfy { $0 == 1 })
    }

    @Test("OAuth 2.0: refresh-token rotation survives a restart and never reuses a spent token")
    func refreshRotation() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let x = world.x
        await x.setAccessTokenLifetime(3)
        try world.writeConfig(auth: "oauth2")
        let first = try await world.startBotAndWaitForPoll()
        let before = await world.mentions(3, prefix: "before")
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await world.replyCounts(before).allSatisfy { $0 == 1 } })
        try await Task.sleep(for: .seconds(4))
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(30)) == 0)
        let refreshesBefore = await x.refreshCount
        #expect(refreshesBefore >= 2, "the access token expired and was refreshed")
        // Same environment (the spent seed is still in X_REFRESH): the store's token must be used.
        let second = try await world.startBotAndWaitForPoll()
        let after = await world.mentions(3, prefix: "after")
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await world.replyCounts(after).allSatisfy { $0 == 1 } },
                "\(second.output.suffix(2000))")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        #expect(await x.refreshCount > refreshesBefore)
        #expect(await x.violations.refreshTokenReuse == 0)
        #expect(!second.output.contains(world.refreshSeed) && !first.output.contains(world.refreshSeed))
    }

    @Test("kill -9 during a burst, restart each time: never two replies to one mention")
    func killNine() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let first = try await world.startBotAndWaitForPoll()
        let mentions = await world.mentions(40)
        try await Task.sleep(for: .milliseconds(Int.random(in: 300...1200)))
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        for _ in 0..<4 {
            let bot = try world.startBot()
            try await Task.sleep(for: .milliseconds(Int.random(in: 500...2500)))
            bot.signal(SIGKILL)
            _ = await bot.waitForExit(timeout: .seconds(10))
        }
        let last = try world.startBot()
        let settled = await TwitterWorld.wait(timeout: .seconds(90)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return LedgerCounts.finished(ledger) == mentions.count
        }
        #expect(settled, "\(last.output.suffix(2000))")
        last.signal(SIGTERM)
        #expect(await last.waitForExit(timeout: .seconds(30)) == 0, "\(last.output.suffix(3000))")
        let counts = await world.replyCounts(mentions)
        #expect(counts.allSatisfy { $0 <= 1 }, "a mention got two replies")
        #expect(await world.x.violations.duplicates == 0, "the bot even tried to post twice")
        let ledger = try await world.ledger()
        let replied = counts.filter { $0 == 1 }.count
        #expect(replied >= ledger["answered"] ?? 0)
        #expect(replied <= (ledger["answered"] ?? 0) + (ledger["unknown"] ?? 0))
    }

    @Test("daily_post_budget holds across restarts")
    func budgetAcrossRestarts() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(budget: 4)
        let first = try await world.startBotAndWaitForPoll()
        let batch = await world.mentions(3, prefix: "first")
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await world.x.botPosts.count == 3 })
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(30)) == 0)
        let second = try await world.startBotAndWaitForPoll()
        let more = await world.mentions(4, prefix: "second")
        let settled = await TwitterWorld.wait(timeout: .seconds(40)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return (ledger["answered"] ?? 0) + (ledger["failed"] ?? 0) == batch.count + more.count
        }
        #expect(settled, "\(second.output.suffix(2000))")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        #expect(await world.x.botPosts.count == 4)
        let ledger = try await world.ledger()
        #expect(ledger["answered"] == 4 && ledger["failed"] == 3, "\(ledger)")
        let status = try await BotProcess.run(["status"], folder: world.folder, environment: world.environment)
        #expect(status.output.contains("post_budget.used = 4"))
        #expect(status.output.contains("daily_post_budget"))
    }

    @Test("replytensor sandbox plays X conversations too, and every expectation holds")
    func sandbox() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox"], folder: folder, timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("✔ X: a mention is answered exactly once, in reply to it"))
        #expect(result.output.contains("✔ X: a post without a mention is left alone"))
    }

    @Test("check verifies the credentials with users/me and reports the rate-limit state")
    func check() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let ok = try await BotProcess.run(["check"], folder: world.folder, environment: world.environment)
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("@ReplyTensorBot"))
        #expect(ok.output.contains("rate limit (users/me)"))
        var wrong = world.environment
        wrong["E2E_X_ACCESS_SECRET"] = "not-the-right-secret"
        let rejected = try await BotProcess.run(["check"], folder: world.folder, environment: wrong)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("401"))
        #expect(!rejected.output.contains("not-the-right-secret"))
    }
}

@Suite("X end to end (real binary): faults, reconciliation, secrets", .serialized)
struct TwitterResilienceEndToEndTests {
    @Test("20% injected faults on X (5xx, 429, stalls, malformed JSON, dropped connections): completes, no duplicate")
    func faults() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let bot = try await world.startBotAndWaitForPoll()
        await world.x.faults.randomFaults(rate: 0.2, palette: [.status(500), .status(503), .rateLimited(retryAfterSeconds: 1),
                                                               .stall(.milliseconds(300)), .malformedJSON, .dropConnection],
                                          exempt: ["/users/me"])
        let mentions = await world.mentions(30)
        let settled = await TwitterWorld.wait(timeout: .seconds(120)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return LedgerCounts.finished(ledger) == mentions.count
        }
        #expect(settled, "\(bot.output.suffix(2000))")
        #expect(bot.process.isRunning, "the bot crashed")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0)
        let counts = await world.replyCounts(mentions)
        #expect(counts.allSatisfy { $0 <= 1 })
        #expect(counts.filter { $0 == 1 }.count >= 20, "most mentions must still be answered: \(counts)")
        #expect(await world.x.faults.injected.count >= 3, "faults were injected")
        #expect(await world.x.violations.requestsWhileExhausted == 0)
    }

    @Test("reconcile_posting: after kill -9 mid-burst every mention ends answered exactly once, none unknown")
    func reconcileAfterKill() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        await world.x.setRateLimit(.userTweets, limit: 100, windowSeconds: 15)
        try world.writeConfig(reconcile: true)
        let first = try await world.startBotAndWaitForPoll()
        let mentions = await world.mentions(30)
        for round in 0..<4 {
            let bot = round == 0 ? first : try world.startBot()
            try await Task.sleep(for: .milliseconds(Int.random(in: 400...1500)))
            bot.signal(SIGKILL)
            _ = await bot.waitForExit(timeout: .seconds(10))
        }
        let last = try world.startBot()
        let settled = await TwitterWorld.wait(timeout: .seconds(90)) {
            await world.replyCounts(mentions).allSatisfy { $0 == 1 }
        }
        #expect(settled, "\(last.output.suffix(2000))")
        try await Task.sleep(for: .seconds(1))
        last.signal(SIGTERM)
        #expect(await last.waitForExit(timeout: .seconds(30)) == 0, "\(last.output.suffix(3000))")
        #expect(await world.replyCounts(mentions).allSatisfy { $0 == 1 })
        let ledger = try await world.ledger()
        #expect(ledger["answered"] == mentions.count && ledger["unknown"] == nil, "\(ledger)")
        #expect(await world.x.violations.duplicates == 0)
    }

    @Test("thread_replies: a long answer becomes a chained thread; a 403 on a continuation ends the thread")
    func threads() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let essay = (0..<40).map { "Sentence \($0) about miners, validators and the subnet market." }.joined(separator: " ")
        await world.gateway.setAnswer { request in request.lastUserMessage + " " + essay }
        try world.writeConfig(thread: true)
        let bot = try await world.startBotAndWaitForPoll()
        let x = world.x
        let mention = await world.mentions(1, prefix: "essay")[0]
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await x.botPosts.count >= 4 }, "\(bot.output.suffix(1500))")
        try await Task.sleep(for: .seconds(1))
        let thread = await x.botPosts
        #expect(thread.count == 4, "max 4 parts")
        #expect(thread.first?.repliedToID == mention.id)
        for (previous, next) in zip(thread, thread.dropFirst()) { #expect(next.repliedToID == previous.id) }
        #expect(thread.allSatisfy { WeightedLengthCheck.fits($0.text) })
        // X refuses continuations: the thread ends after its first tweet and the mention is still answered.
        await x.setThreadContinuation(allowed: false)
        let second = await world.mentions(1, prefix: "again")[0]
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await x.violations.replyNotAllowed >= 1 })
        try await Task.sleep(for: .seconds(1))
        #expect(await x.replies(to: second.id).count == 1)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0)
        let ledger = try await world.ledger()
        #expect(ledger["answered"] == 2, "\(ledger)")
    }

    @Test("X secrets appear nowhere in trace logs or the database; rejected credentials stop run with exit 1")
    func secrets() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(logLevel: "trace")
        let bot = try await world.startBotAndWaitForPoll()
        let mentions = await world.mentions(2)
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await world.replyCounts(mentions).allSatisfy { $0 == 1 } })
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0)
        #expect(bot.output.contains("/mentions"), "trace logs show the requests")
        let x = world.x
        for secret in [x.consumerKey, x.consumerSecret, x.accessToken, x.accessTokenSecret] {
            #expect(!bot.output.contains(secret), "secret in the log")
            for file in ["bot.sqlite", "bot.sqlite-wal"] {
                let data = FileManager.default.contents(atPath: world.folder.appendingPathComponent(file).path) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "secret in \(file)")
            }
        }
        var wrong = world.environment
        wrong["E2E_X_CONSUMER_SECRET"] = "WRONG-consumer-secret-never-shown"
        let rejected = try await BotProcess.run(["run"], folder: world.folder, environment: wrong)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("401"))
        #expect(!rejected.output.contains("WRONG-consumer-secret-never-shown"))
    }
}

/// A rough upper bound of X's weighted length for the end-to-end checks (every code point as 2, URLs aside).
enum WeightedLengthCheck {
    static func fits(_ text: String) -> Bool {
        let weighted = text.unicodeScalars.reduce(0) { $0 + ($1.value <= 4351 ? 1 : 2) }
        return weighted <= 280
    }
}
