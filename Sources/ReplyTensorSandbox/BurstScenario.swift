import DiscordPlatform
import Foundation
import ReplyTensorApp
import ReplyTensorCore
import ReplyTensorEmulators

/// `--scenario burst` (many mentions at once on the three platforms) and `--scenario faults` (the same with a share
/// of every emulator's answers replaced by faults and the top miner failing): throughput, latency and reliability.
public struct BurstScenario {
    var perPlatform: Int
    var faultRate: Double

    static let palette: [Fault] = [.status(500), .status(502), .rateLimited(retryAfterSeconds: 1),
                                   .stall(.milliseconds(300)), .malformedJSON, .dropConnection]

    /// The mentions a heavy scenario injects, by platform, to check afterwards.
    struct Injected {
        var telegram: [TelegramEmulator.Message] = []
        var discord: [DiscordEmulator.Message] = []
        var twitter: [TwitterEmulator.Tweet] = []
        var total: Int { telegram.count + discord.count + twitter.count }
    }

    func play(in world: SandboxWorld) async throws -> SandboxSummary {
        let name = faultRate > 0 ? "faults" : "burst"
        var summary = SandboxSummary(scenario: name)
        let say = world.transcript.say
        try await Self.waitUntilWatching(world, summary: &summary)
        await world.twitter.setRateLimit(.createTweet, limit: 10_000, windowSeconds: 900)
        if faultRate > 0 {
            say("\n— \(Int(faultRate * 100))% of the emulators' answers are faults (500, 502, 429, stalls, bad JSON, "
                + "dropped connections); the top miner fails every request")
            await world.telegram.faults.randomFaults(rate: faultRate, palette: Self.palette, exempt: ["/getMe"])
            await world.discord.faults.randomFaults(rate: faultRate, palette: Self.palette, exempt: ["/users/@me"])
            await world.twitter.faults.randomFaults(rate: faultRate, palette: Self.palette, exempt: ["/users/me"])
            if let top = world.subnet.miner("good") { await top.axon.setResponder(SandboxSubnet.failing) }
        }
        world.transcript.setDetailed(false)
        say("\n— \(perPlatform) mentions on each of Telegram, Discord and X, all at once")
        let start = ContinuousClock.now
        let injected = try await Self.inject(perPlatform, in: world)
        let progress = Self.progress(world, total: injected.total, start: start)
        let settled = await world.wait(timeout: .seconds(90)) { await Self.settled(world, injected: injected) }
        progress.cancel()
        let end = world.transcript.snapshot.lastAnswerAt ?? ContinuousClock.now
        if faultRate > 0 {
            await world.telegram.faults.clear()
            await world.discord.faults.clear()
            await world.twitter.faults.clear()
        }
        summary.expect("every mention was answered or recorded with a reason within 90 s", settled)
        try await Self.reliability(world, injected: injected, requireAll: faultRate == 0, summary: &summary)
        for (platform, latencies) in world.transcript.snapshot.latenciesByPlatform {
            summary.figures["latency p50 ms \(platform)"] = SandboxSummary.percentile(0.5, of: latencies)?.rounded()
            summary.figures["latency p95 ms \(platform)"] = SandboxSummary.percentile(0.95, of: latencies)?.rounded()
        }
        let answered = world.transcript.snapshot.answered
        summary.repliesPerSecond = Double(answered) / max(0.001, (end - start).seconds)
        say(String(format: "  %d replies in %.1f s", answered, (end - start).seconds))
        return summary
    }

    /// Waits for the bot to watch every Discord channel and to make its first X mentions poll.
    static func waitUntilWatching(_ world: SandboxWorld, summary: inout SandboxSummary) async throws {
        let channels = world.discordChannels
        let watching = await world.wait(timeout: .seconds(20)) {
            guard let cursors = try? await world.assembly.store.cursors(for: .discord) else { return false }
            return channels.allSatisfy { cursors[DiscordAdapter.cursorScope($0.id)] != nil }
        }
        summary.expect("the bot watches all \(channels.count) Discord channels", watching)
        let polled = await world.wait(timeout: .seconds(20)) { await !world.twitter.recorder.requests(path: "/mentions").isEmpty }
        summary.expect("the bot polls its X mentions", polled)
    }

    /// The same wait without expectations.
    static func waitUntilWatchingQuietly(_ world: SandboxWorld) async -> Bool {
        var scratch = SandboxSummary(scenario: "")
        try? await waitUntilWatching(world, summary: &scratch)
        return scratch.passed
    }

    /// Telegram: one private chat per user; Discord: spread over the channels; X: one post per mention.
    static func inject(_ count: Int, in world: SandboxWorld, offset: Int = 0) async throws -> Injected {
        var injected = Injected()
        let discordUsers = await (0..<10).asyncMap { await world.discord.addUser(username: "member\(offset + $0)") }
        let xUsers = await (0..<20).asyncMap { await world.twitter.addUser(username: "fan\(offset + $0)") }
        for index in offset..<(offset + count) {
            let user = await world.telegram.addUser(username: "user\(index)", firstName: "User \(index)")
            injected.telegram.append(try await world.telegram.inject(text: "question #\(index) about subnets", from: user))
            let channel = world.discordChannels[index % world.discordChannels.count]
            injected.discord.append(try await world.discord.inject("<@\(world.discord.bot.id)> question #\(index) about miners",
                                                                   from: discordUsers[index % discordUsers.count],
                                                                   in: channel))
            injected.twitter.append(await world.twitter.post("@ReplyTensorBot question #\(index) about validators",
                                                             from: xUsers[index % xUsers.count]))
        }
        return injected
    }

    /// Prints a progress line every second.
    static func progress(_ world: SandboxWorld, total: Int, start: ContinuousClock.Instant) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let snapshot = world.transcript.snapshot
                let failed = snapshot.failed.values.reduce(0, +)
                world.transcript.say(String(format: "  progress: %d/%d admitted, %d answered, %d failed, %d unknown  (%.0f s)",
                                            snapshot.admitted, total, snapshot.answered, failed, snapshot.unknown,
                                            (ContinuousClock.now - start).seconds))
            }
        }
    }

    /// Every injected mention is in the ledger in a final state.
    static func settled(_ world: SandboxWorld, injected: Injected) async -> Bool {
        guard let counts = try? await world.assembly.store.stateCounts() else { return false }
        let all = counts.values.flatMap { $0 }
        let unfinished = all.filter { $0.key.isUnfinished }.reduce(0) { $0 + $1.value }
        let final = all.filter { !$0.key.isUnfinished }.reduce(0) { $0 + $1.value }
        return unfinished == 0 && final >= injected.total
    }

    /// Duplicates, lost mentions, and what the ledger recorded.
    static func reliability(_ world: SandboxWorld, injected: Injected, requireAll: Bool,
                            summary: inout SandboxSummary) async throws {
        var counts: [Int] = []
        for message in injected.telegram { counts.append(await world.telegram.replies(to: message).count) }
        for message in injected.discord { counts.append(await world.discord.replies(to: message).count) }
        for tweet in injected.twitter { counts.append(await world.twitter.replies(to: tweet.id).count) }
        summary.duplicates = counts.reduce(0) { $0 + max(0, $1 - 1) }
        let unanswered = counts.filter { $0 == 0 }.count
        let ledger = try await world.assembly.store.stateCounts()
        var byState: [MentionState: Int] = [:]
        for (_, states) in ledger { for (state, count) in states { byState[state, default: 0] += count } }
        let recorded = byState.filter { !$0.key.isUnfinished }.values.reduce(0, +)
        summary.lost = max(0, injected.total - recorded)
        summary.replies = counts.reduce(0, +)
        for state in MentionState.allCases where (byState[state] ?? 0) > 0 {
            summary.figures["ledger \(state.rawValue)"] = Double(byState[state] ?? 0)
        }
        summary.expect("no mention was answered twice", summary.duplicates == 0, "\(summary.duplicates) duplicates")
        summary.expect("every mention is in the ledger with a final state", summary.lost == 0, "\(summary.lost) missing")
        if requireAll {
            summary.expect("all \(injected.total) mentions were answered", unanswered == 0, "\(unanswered) unanswered")
        } else {
            let answered = byState[.answered] ?? 0
            summary.expect("most mentions were answered despite the faults", answered * 10 >= injected.total * 8,
                           "\(answered) of \(injected.total) answered, \(unanswered) without a reply")
        }
        let violations = await world.telegram.violations.total + world.twitter.violations.total
            + world.discord.violations.total
        summary.expect("no platform rate rule was broken", violations == 0, violations == 0 ? "0 violations"
                       : "telegram \(await world.telegram.violations), discord \(await world.discord.violations), "
                       + "x \(await world.twitter.violations)")
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
