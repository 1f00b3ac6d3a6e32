import Foundation
import ReplyTensorCore
import Testing

@Suite("Engine")
struct EngineTests {
    @Test("1,000 messages with duplicates produce exactly one reply per distinct message")
    func oneReplyPerDistinctMessage() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder()
        var messages: [InboundMessage] = []
        for index in 0..<1000 {
            messages.append(adapter.makeMessage(id: "m\(index % 700)", text: "question \(index % 700)",
                                                author: Author(id: "u\(index % 50)")))
        }
        adapter.inject(messages.shuffled())
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder)
        let done = await EngineHarness.wait(timeout: .seconds(30)) { adapter.posts.count >= 700 }
        try await Task.sleep(for: .milliseconds(100))
        try await harness.stop()
        #expect(done)
        let posts = adapter.posts
        #expect(posts.count == 700)
        #expect(Set(posts.map(\.mentionID)).count == 700)
        #expect(responder.count == 700)
        let counts = try await store.stateCounts()
        #expect(counts[adapter.platform]?[.answered] == 700)
    }

    @Test("own messages and other bots' messages are never answered")
    func guardsSkipSelfAndBots() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder()
        adapter.inject([
            adapter.makeMessage(id: "self", text: "hi", author: Author(id: "bot", handle: "replytensor")),
            adapter.makeMessage(id: "otherbot", text: "hi", author: Author(id: "b2", isBot: true)),
            adapter.makeMessage(id: "human", text: "hi", author: Author(id: "h")),
        ])
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder)
        await EngineHarness.wait { adapter.posts.count == 1 }
        await EngineHarness.wait { try await store.stateCounts()[adapter.platform]?[.skipped] == 2 }
        try await harness.stop()
        #expect(adapter.posts.map(\.mentionID) == ["human"])
        #expect(try await store.entry(MentionKey(platform: adapter.platform, id: "self"))?.reason == "guard.own_message")
        #expect(try await store.entry(MentionKey(platform: adapter.platform, id: "otherbot"))?.reason == "guard.bot_author")
        #expect(responder.count == 1)
    }

    @Test("/help is answered locally and never reaches the responder")
    func helpNeverReachesResponder() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder()
        adapter.inject([adapter.makeMessage(id: "c1", text: "/help", addressedAs: .command),
                        adapter.makeMessage(id: "c2", text: "/ping@replytensor", addressedAs: .command)])
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder,
                                    plugins: [CommandsPlugin(botName: "TestBot")])
        await EngineHarness.wait { adapter.posts.count == 2 }
        try await harness.stop()
        #expect(responder.count == 0)
        #expect(adapter.posts.contains { $0.text == "pong" })
        #expect(adapter.posts.contains { $0.text.contains("/help") })
    }

    @Test("a reply loop between two bots stops at the configured depth")
    func loopGuardStopsTwoBots() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder()
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder)
        // The other bot is not flagged as a bot (as on X): it answers every reply of ours.
        let other = Author(id: "loopbot", handle: "loopbot")
        var parent: String? = nil
        var index = 0
        while index < 10 {
            let message = adapter.makeMessage(id: "l\(index)", text: "@replytensor keep going",
                                              author: other, replyTo: parent.map { MessageRef(id: $0) })
            adapter.inject([message])
            let key = message.key
            await EngineHarness.wait { try await store.entry(key).map { !$0.state.isUnfinished } ?? false }
            guard let reply = adapter.posts.last(where: { $0.mentionID == message.id }) else { break }
            parent = reply.id
            index += 1
        }
        try await harness.stop()
        #expect(adapter.posts.count == EngineConfiguration.testing.maxConsecutiveReplies)
        let stopped = try await store.entry(MentionKey(platform: adapter.platform, id: "l3"))
        #expect(stopped?.state == .skipped)
        #expect(stopped?.reason == "guard.loop")
    }

    @Test("a responder that throws, hangs or returns empty text fails that mention and blocks no other")
    func responderFailuresAreRecorded() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let responder = CountingResponder { prompt in
            switch prompt.question {
            case "throw": throw BotError(.responder, "miner exploded")
            case "hang": try await Task.sleep(for: .seconds(3600)); return "never"
            case "empty": return "   \n "
            default: return "fine"
            }
        }
        adapter.inject(["throw", "hang", "empty", "ok1", "ok2"].map { adapter.makeMessage(id: $0, text: $0) })
        var configuration = EngineConfiguration.testing
        configuration.responderDeadline = .milliseconds(500)
        let harness = EngineHarness(store: store, adapters: [adapter], responder: responder, configuration: configuration)
        await EngineHarness.wait { try await store.stateCounts()[adapter.platform]?[.failed] == 3 }
        await EngineHarness.wait { adapter.posts.count == 2 }
        try await harness.stop()
        #expect(Set(adapter.posts.map(\.mentionID)) == ["ok1", "ok2"])
        for id in ["throw", "hang", "empty"] {
            let entry = try await store.entry(MentionKey(platform: adapter.platform, id: id))
            #expect(entry?.state == .failed)
            #expect(entry?.reason?.hasPrefix("responder") == true)
        }
        let thrown = try await store.entry(MentionKey(platform: adapter.platform, id: "throw"))
        #expect(thrown?.reason?.contains("miner exploded") == true)
    }

    @Test("policy limits hold across a restart")
    func policyLimitsSurviveRestart() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        var configuration = EngineConfiguration.testing
        configuration.limits = PolicyLimits(perUserPerHour: 2, perChatPerMinute: 0, dailyReplies: 0)
        let alice = Author(id: "alice")
        adapter.inject([adapter.makeMessage(id: "a1", text: "one", author: alice),
                        adapter.makeMessage(id: "a2", text: "two", author: alice)])
        let first = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder(),
                                  configuration: configuration)
        await EngineHarness.wait { adapter.posts.count == 2 }
        try await first.stop()
        adapter.inject([adapter.makeMessage(id: "a3", text: "three", author: alice),
                        adapter.makeMessage(id: "b1", text: "bob", author: Author(id: "bob"))])
        let second = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder(),
                                   configuration: configuration)
        await EngineHarness.wait { adapter.posts.count == 3 }
        await EngineHarness.wait { try await store.entry(MentionKey(platform: adapter.platform, id: "a3"))?.state == .skipped }
        try await second.stop()
        #expect(try await store.entry(MentionKey(platform: adapter.platform, id: "a3"))?.reason == "limit.per_user_per_hour")
        #expect(adapter.posts.map(\.mentionID).sorted() == ["a1", "a2", "b1"])
    }

    @Test("the daily limit counts replies on every platform")
    func dailyLimitAcrossPlatforms() async throws {
        let store: any BotStore = InMemoryStore()
        let one = InMemoryAdapter(platform: "one")
        let two = InMemoryAdapter(platform: "two")
        var configuration = EngineConfiguration.testing
        configuration.limits = PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 3)
        configuration.maxConcurrentReplies = 1
        one.inject((0..<3).map { one.makeMessage(id: "o\($0)", text: "q", author: Author(id: "u\($0)")) })
        two.inject((0..<3).map { two.makeMessage(id: "t\($0)", text: "q", author: Author(id: "v\($0)")) })
        let harness = EngineHarness(store: store, adapters: [one, two], responder: CountingResponder(),
                                    configuration: configuration)
        await EngineHarness.wait {
            let counts = try await store.stateCounts()
            return (counts["one"]?[.skipped] ?? 0) + (counts["two"]?[.skipped] ?? 0) == 3
        }
        try await harness.stop()
        #expect(one.posts.count + two.posts.count == 3)
    }

    @Test("an unauthorized poll stops that platform with the reason, others go on")
    func unauthorizedStopsOnePlatform() async throws {
        let store: any BotStore = InMemoryStore()
        let bad = InMemoryAdapter(platform: "bad")
        let good = InMemoryAdapter(platform: "good")
        bad.failNextPolls([BotError(.platformStopped, "token rejected", platform: "bad")])
        good.inject([good.makeMessage(id: "g", text: "hi")])
        let harness = EngineHarness(store: store, adapters: [bad, good], responder: CountingResponder())
        await EngineHarness.wait { good.posts.count == 1 }
        await EngineHarness.wait { harness.engine.health.stopped["bad"] != nil }
        #expect(harness.engine.health.stopped["bad"]?.contains("token rejected") == true)
        try await harness.stop()
    }

    @Test("run() fails when every platform stopped on a fatal error")
    func allStoppedIsFatal() async throws {
        let adapter = InMemoryAdapter()
        adapter.failNextPolls([BotError(.platformStopped, "bad token")])
        let harness = EngineHarness(store: InMemoryStore(), adapters: [adapter], responder: CountingResponder())
        await #expect(throws: BotError.self) { try await harness.task.value }
    }

    @Test("a 429 on a post blocks that chat for retry_after, then the post goes through once")
    func rateLimitedPostWaitsAndRetries() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        adapter.failNextPosts([BotError(.rateLimited, "slow down", retryAfter: .milliseconds(300), scope: "chat:chat")])
        adapter.inject([adapter.makeMessage(id: "x", text: "hi")])
        let start = ContinuousClock.now
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder())
        await EngineHarness.wait { adapter.posts.count == 1 }
        let elapsed = ContinuousClock.now - start
        try await harness.stop()
        #expect(elapsed >= .milliseconds(300))
        #expect(adapter.posts.count == 1)
        let blocks = try await store.blocks(for: adapter.platform, activeAt: Date.distantPast)
        #expect(blocks.contains { $0.scope == "chat:chat" })
    }

    @Test("a permanent post failure is recorded with the platform's reason")
    func permanentPostFailure() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        adapter.failNextPosts([BotError(.forbidden, "bot was blocked by the user", httpStatus: 403, isPermanent: true)])
        adapter.inject([adapter.makeMessage(id: "x", text: "hi")])
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder())
        await EngineHarness.wait { try await store.entry(MentionKey(platform: adapter.platform, id: "x"))?.state == .failed }
        try await harness.stop()
        #expect(try await store.entry(MentionKey(platform: adapter.platform, id: "x"))?.reason?.contains("blocked") == true)
        #expect(adapter.posts.isEmpty)
    }

    @Test("a long answer is split into parts within the platform's limit")
    func longAnswersAreSplit() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter(rules: PlatformRules(length: .utf16(4096), maxParts: 4))
        let sentence = "This sentence is part of a long answer. "
        let long = String(repeating: sentence, count: 250)
        adapter.inject([adapter.makeMessage(id: "long", text: "tell me everything")])
        let harness = EngineHarness(store: store, adapters: [adapter], responder: CountingResponder { _ in long })
        await EngineHarness.wait { try await store.entry(MentionKey(platform: adapter.platform, id: "long"))?.state == .answered }
        try await harness.stop()
        let parts = adapter.posts.sorted { $0.part < $1.part }
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.text.utf16.count <= 4096 })
        #expect(parts.map(\.text).joined(separator: " ") == long.trimmingCharacters(in: .whitespaces))
    }
}
