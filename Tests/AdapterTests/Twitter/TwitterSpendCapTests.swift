import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import Testing
import TwitterPlatform

/// `daily_budget_usd`: posts and reads priced as X's pay-per-use prices them, counted in the store before they go.
@Suite("X: the daily spend cap", .serialized)
struct TwitterSpendCapTests {
    static let prices = (post: 0.01, withURL: 0.20, read: 0.005)

    static func adapter(_ x: TwitterEmulator, state: TwitterTestState, cap: Double) -> TwitterAdapter {
        TwitterTest.adapter(x, state: state, budget: 0) { configuration in
            configuration.spending = TwitterSpending(dailyBudgetUSD: cap, pricePostUSD: prices.post,
                                                     pricePostWithURLUSD: prices.withURL, priceReadUSD: prices.read)
        }
    }

    static func bill(_ x: TwitterEmulator) async -> Double {
        await x.usage.cost(read: prices.read, post: prices.post, postWithURL: prices.withURL)
    }

    @Test("the keys and the contract's defaults")
    func settings() {
        let defaults = TwitterConfiguration.read(from: InMemorySettings(path: "twitter"))
        #expect(defaults.spending == TwitterSpending(dailyBudgetUSD: 0, pricePostUSD: 0.01, pricePostWithURLUSD: 0.20,
                                                     priceReadUSD: 0.005))
        let settings = InMemorySettings(path: "twitter", values: [
            "daily_budget_usd": .double(2.5), "price_post_usd": .double(0.015), "price_post_with_url_usd": .int(1),
            "price_read_usd": .double(-1)])
        let read = TwitterConfiguration.read(from: settings)
        #expect(read.spending.dailyBudgetUSD == 2.5 && read.spending.pricePostUSD == 0.015)
        #expect(read.spending.pricePostWithURLUSD == 1 && read.spending.priceReadUSD == 0.005)
        #expect(settings.problems == ["twitter.price_read_usd: expected a number ≥ 0.0, found -1.0"])
    }

    @Test("a post with a URL costs price_post_with_url_usd; a post that would pass the cap is not sent, after a restart too")
    func posts() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        let state = TwitterTestState()
        var mentions: [InboundMessage] = []
        for index in 0..<5 { mentions.append(await TwitterPostTextTests.mention(x, "@ReplyTensorBot q\(index)").1) }
        let first = Self.adapter(x, state: state, cap: 0.25)
        _ = try await first.post("a plain answer", replyingTo: mentions[0], part: 0, idempotencyKey: "0")
        _ = try await first.post("read https://docs.x.com/x-api first", replyingTo: mentions[1], part: 0,
                                 idempotencyKey: "1")
        #expect(abs(try await first.spentToday() - 0.21) < 1e-9)
        let sent = await x.recorder.requests(path: "/2/tweets").count
        let refused = await #expect(throws: BotError.self) {
            try await first.post("more at tao.finance", replyingTo: mentions[2], part: 0, idempotencyKey: "2")
        }
        #expect(refused?.isPermanent == true)
        #expect(refused?.message.contains("daily_budget_usd") == true)
        #expect(await x.recorder.requests(path: "/2/tweets").count == sent, "nothing is sent past the cap")
        // A new adapter on the same store continues from the stored spend.
        let second = Self.adapter(x, state: state, cap: 0.25)
        _ = try await second.post("another plain answer", replyingTo: mentions[3], part: 0, idempotencyKey: "3")
        #expect(abs(try await second.spentToday() - 0.22) < 1e-9)
        #expect(try await state.value("spend.micro_usd", for: .twitter) == "220000")
        await #expect(throws: BotError.self) {
            try await second.post("see x.fund", replyingTo: mentions[4], part: 0, idempotencyKey: "4")
        }
        let usage = await x.usage
        #expect(usage.posts == 3 && usage.postsWithURL == 1)
        #expect(abs(await Self.bill(x) - 0.22) < 1e-9, "the count is X's bill")
    }

    @Test("reads are priced per post returned; no read past the cap, the mentions wait for the next day")
    func reads() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let state = TwitterTestState()
        let adapter = Self.adapter(x, state: state, cap: 0.06)
        let start = try await adapter.poll(cursors: [:])
        #expect(try await adapter.spentToday() == 0, "an empty page costs nothing")
        let alice = await x.addUser(username: "alice")
        for index in 0..<12 { await x.post("@ReplyTensorBot question \(index)", from: alice) }
        try await Task.sleep(for: start.nextPollDelay)
        // $0.06 buys exactly the 12 posts of this page.
        let page = try await adapter.poll(cursors: start.cursorUpdates)
        #expect(page.messages.count == 12)
        #expect(await x.recorder.requests(path: "/mentions").last?.query["max_results"] == "12")
        #expect(abs(try await adapter.spentToday() - 0.06) < 1e-9)
        #expect(await x.usage.postsRead == 12)
        try await Task.sleep(for: page.nextPollDelay)
        let before = await x.recorder.requests(path: "/mentions").count
        let capped = try await adapter.poll(cursors: start.cursorUpdates.merging(page.cursorUpdates) { $1 })
        #expect(capped.messages.isEmpty && capped.nextPollDelay > .zero)
        #expect(await x.recorder.requests(path: "/mentions").count == before, "no read past the cap")
        let message = try #require(page.messages.first)
        await #expect(throws: BotError.self) {
            try await adapter.post("an answer", replyingTo: message, part: 0, idempotencyKey: "p")
        }
        #expect(await Self.bill(x) <= 0.06 + 1e-9)
    }

    @Test("a page that would pass the cap is asked for fewer posts; the rest are read on another day, cursor kept")
    func partialPages() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let adapter = Self.adapter(x, state: TwitterTestState(), cap: 0.05)
        let start = try await adapter.poll(cursors: [:])
        let alice = await x.addUser(username: "alice")
        for index in 0..<12 { await x.post("@ReplyTensorBot question \(index)", from: alice) }
        try await Task.sleep(for: start.nextPollDelay)
        let page = try await adapter.poll(cursors: start.cursorUpdates)
        #expect(await x.recorder.requests(path: "/mentions").last?.query["max_results"] == "10")
        #expect(page.messages.count == 10)
        #expect(page.cursorUpdates[TwitterAdapter.sinceCursor] == nil, "not every page was read: the cursor stays")
        #expect(await x.usage.postsRead == 10)
        #expect(await Self.bill(x) <= 0.05 + 1e-9)
    }
}
