import Foundation
import ReplyTensorEmulators
import Testing

/// Mention-to-reply delay and requests per answered mention at the Basic tier's mentions limit (10 requests per
/// 15 minutes), time-scaled 60× (10 per 15 s) so the run takes a minute. Prints `X-FIGURES` lines.
@Suite("X figures (real binary, Basic tier scaled 60×)", .serialized)
struct TwitterFiguresTests {
    @Test("derived interval at 10 requests / window: every mention answered within about one interval")
    func basicTierDelay() async throws {
        let scale = 60.0
        let window = 900.0 / scale
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let x = world.x
        await x.setRateLimit(.mentions, limit: 10, windowSeconds: window)
        try world.writeConfig()
        let bot = try await world.startBotAndWaitForPoll()
        let users = [await x.addUser(username: "fig_a"), await x.addUser(username: "fig_b")]
        var mentions: [TwitterEmulator.Tweet] = []
        var generator = SeededGenerator(seed: 11)
        let runStart = ContinuousClock.now
        for index in 0..<30 {
            // Arrivals spread over three windows at random moments.
            try await Task.sleep(for: .milliseconds(Int64(generator.next() % 3000)))
            mentions.append(await x.post("@ReplyTensorBot figure \(index)?", from: users[index % 2]))
        }
        let done = await TwitterWorld.wait(timeout: .seconds(60)) { await world.replyCounts(mentions).allSatisfy { $0 == 1 } }
        #expect(done, "\(bot.output.suffix(2000))")
        let elapsedDuration = ContinuousClock.now - runStart
        let elapsed = Double(elapsedDuration.components.seconds) + Double(elapsedDuration.components.attoseconds) / 1e18
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0)
        var delays: [Double] = []
        for mention in mentions {
            guard let reply = await x.replies(to: mention.id).first else { continue }
            delays.append(reply.createdAt.timeIntervalSince(mention.createdAt))
        }
        delays.sort()
        let requests = await x.recorder.requests
        let polls = requests.filter { $0.path.hasSuffix("/mentions") }.count
        let posts = requests.filter { $0.path == "/2/tweets" }.count
        let identity = requests.filter { $0.path.hasSuffix("/users/me") }.count
        let mean = delays.reduce(0, +) / Double(max(1, delays.count))
        let p50 = delays.isEmpty ? 0 : delays[delays.count / 2]
        let p95 = delays.isEmpty ? 0 : delays[min(delays.count - 1, Int(Double(delays.count) * 0.95))]
        let maximum = delays.last ?? 0
        let interval = window / 10
        print("X-FIGURES scaled: window \(window) s, derived interval \(interval) s, run \(String(format: "%.1f", elapsed)) s")
        print("X-FIGURES delay (Basic-tier seconds = scaled × \(Int(scale))): mean \(Int(mean * scale)) s, p50 \(Int(p50 * scale)) s, p95 \(Int(p95 * scale)) s, max \(Int(maximum * scale)) s")
        print("X-FIGURES requests: \(polls) mentions polls + \(posts) posts + \(identity) users/me for \(delays.count) answered = \(String(format: "%.2f", Double(polls + posts + identity) / Double(max(1, delays.count)))) per answered mention")
        #expect(delays.count == mentions.count)
        // A mention waits at most for the window to reopen plus one interval (and posting time): never longer.
        #expect(maximum <= window + interval + 2, "max delay \(maximum) s with a \(interval) s interval")
        #expect(await x.violations.requestsWhileExhausted == 0)
        #expect(Double(polls) <= (elapsed / window + 1) * 10, "never more than the window allows")
    }
}
