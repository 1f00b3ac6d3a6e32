import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorStore

/// `--scenario crash`: the bot runs as a child process (`replytensor run`, this same executable) against the
/// emulators with a written configuration; it is killed with SIGKILL a few times mid-burst and restarted. Afterwards
/// no mention may have two replies, and every mention must be answered or recorded in the ledger (`unknown` only for
/// replies in flight at a kill).
public struct CrashScenario {
    var perBatch = 20
    var kills = 3

    func play(in world: SandboxWorld) async throws -> SandboxSummary {
        var summary = SandboxSummary(scenario: "crash")
        let say = world.transcript.say
        let configURL = world.folder.appendingPathComponent("child.toml")
        try world.configText.replacingOccurrences(of: "store = \"sandbox.sqlite\"", with: "store = \"child.sqlite\"")
            .replacingOccurrences(of: "level = \"critical\"", with: "level = \"info\"")
            .write(to: configURL, atomically: true, encoding: .utf8)
        let child = try BotChild(configURL: configURL, environment: world.environment,
                                 log: world.folder.appendingPathComponent("child.log"))
        say("\n— the bot runs as a child process: \(child.executable) run --config \(configURL.path)")
        try child.start()
        say("  started pid \(child.pid)")
        let memory = child.sampleMemory()
        await world.twitter.setRateLimit(.createTweet, limit: 10_000, windowSeconds: 900)
        let watching = await Self.waitUntilWatching(world)
        summary.expect("the child bot watches every Discord channel and polls X", watching, await Self.watchDetail(world))
        if !watching { say(child.logTail()) }

        var injected = BurstScenario.Injected()
        let start = ContinuousClock.now
        for round in 0...kills {
            let batch = try await BurstScenario.inject(perBatch, in: world, offset: round * perBatch)
            injected.telegram += batch.telegram
            injected.discord += batch.discord
            injected.twitter += batch.twitter
            say("  round \(round + 1): \(perBatch) mentions on each platform injected")
            guard round < kills else { break }
            try await Task.sleep(for: .milliseconds(Int.random(in: 400...1200)))
            let killed = child.pid
            await child.kill9()
            say("  kill -9 \(killed) mid-burst")
            try child.start()
            say("  restarted as pid \(child.pid)")
        }
        let (answeredAll, end) = try await Self.waitForReplies(world, injected: injected)
        await child.terminate()
        summary.peakRSSBytes = await memory.stop()
        say("  child stopped with SIGTERM; reading its ledger")
        let store = try SQLiteStore(path: world.folder.appendingPathComponent("child.sqlite").path)
        try await Self.judge(world, store: store, injected: injected, answeredAll: answeredAll,
                             seconds: (end - start).seconds, kills: kills, summary: &summary)
        try? store.close()
        return summary
    }

    /// Waits until every mention has its reply, or no reply came for 5 s (the rest are `unknown`); whether all were
    /// answered, and when the waiting ended.
    static func waitForReplies(_ world: SandboxWorld, injected: BurstScenario.Injected) async throws
        -> (Bool, ContinuousClock.Instant) {
        var last = (count: Int.max, at: ContinuousClock.now)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let missing = await Self.unanswered(world, injected: injected)
            if missing == 0 { return (true, ContinuousClock.now) }
            if missing != last.count { last = (missing, ContinuousClock.now) }
            if ContinuousClock.now - last.at > .seconds(5) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return (false, ContinuousClock.now)
    }

    /// Reads the ledger the bot left in `store` and the emulators' replies into the summary's figures and
    /// expectations, after `kills` × kill -9.
    static func judge(_ world: SandboxWorld, store: any BotStore, injected: BurstScenario.Injected, answeredAll: Bool,
                      seconds: Double, kills: Int, summary: inout SandboxSummary) async throws {
        var byState: [MentionState: Int] = [:]
        for (_, states) in try await store.stateCounts() {
            for (state, count) in states { byState[state, default: 0] += count }
        }
        let unknown = try await store.recent(in: [.unknown], limit: 1000)
        var counts: [Int] = []
        for message in injected.telegram { counts.append(await world.telegram.replies(to: message).count) }
        for message in injected.discord { counts.append(await world.discord.replies(to: message).count) }
        for tweet in injected.twitter { counts.append(await world.twitter.replies(to: tweet.id).count) }
        let unanswered = counts.filter { $0 == 0 }.count
        let recordedWithoutReply = (byState[.failed] ?? 0) + (byState[.skipped] ?? 0) + (byState[.unknown] ?? 0)
        summary.mentions = byState.values.reduce(0, +)
        summary.replies = counts.reduce(0, +)
        summary.duplicates = counts.reduce(0) { $0 + max(0, $1 - 1) }
        summary.unknown = byState[.unknown] ?? 0
        summary.lost = max(0, unanswered - recordedWithoutReply)
        summary.repliesPerSecond = Double(summary.replies) / max(0.001, seconds)
        for state in MentionState.allCases where (byState[state] ?? 0) > 0 {
            summary.figures["ledger \(state.rawValue)"] = Double(byState[state] ?? 0)
        }
        summary.figures["kills"] = Double(kills)
        summary.expect("every mention was answered or recorded after \(kills) kill -9 and restarts",
                       answeredAll || summary.lost == 0, "\(unanswered) without a reply")
        summary.expect("no mention was answered twice", summary.duplicates == 0, "\(summary.duplicates) duplicates")
        summary.expect("every mention is in the ledger", summary.mentions >= injected.total,
                       "\(summary.mentions) of \(injected.total)")
        summary.expect("nothing is left unfinished in the ledger",
                       MentionState.allCases.filter(\.isUnfinished).allSatisfy { (byState[$0] ?? 0) == 0 })
        summary.expect("`unknown` only for replies in flight at a kill (at most 8 per kill)",
                       unknown.count <= 8 * kills, unknown.map { "\($0.message.platform) \($0.message.id)" }.joined(separator: ", "))
        let violations = await world.telegram.violations.total + world.twitter.violations.total
            + world.discord.violations.total
        summary.expect("no platform rate rule was broken", violations == 0,
                       "telegram \(await world.telegram.violations), discord \(await world.discord.violations), "
                       + "x \(await world.twitter.violations.total)")
    }

    /// The child has listed the guild's channels (it reads a channel once its last message changes) and polled X.
    static func waitUntilWatching(_ world: SandboxWorld) async -> Bool {
        await world.wait(timeout: .seconds(30)) {
            let listed = await !world.discord.recorder.requests(path: "/guilds/\(world.discordGuild.id)/channels").isEmpty
            let polledX = await !world.twitter.recorder.requests(path: "/mentions").isEmpty
            return listed && polledX
        }
    }

    static func watchDetail(_ world: SandboxWorld) async -> String {
        let listed = await world.discord.recorder.requests(path: "/guilds/\(world.discordGuild.id)/channels").count
        let polledX = await world.twitter.recorder.requests(path: "/mentions").count
        return "\(listed) Discord channel listings, \(polledX) X mention polls"
    }

    static func unanswered(_ world: SandboxWorld, injected: BurstScenario.Injected) async -> Int {
        var count = 0
        for message in injected.telegram where await world.telegram.replies(to: message).isEmpty { count += 1 }
        for message in injected.discord where await world.discord.replies(to: message).isEmpty { count += 1 }
        for tweet in injected.twitter where await world.twitter.replies(to: tweet.id).isEmpty { count += 1 }
        return count
    }
}
