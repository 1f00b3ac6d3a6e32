import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// `replytensor-bench memory`: `replytensor run` with Telegram, Discord and X enabled (gateway responder, instant
/// answers). First an idle bot at the contract's polling defaults and the X emulator's real 15-minute windows: CPU
/// over 30 s with nothing to do, time from start to the first Telegram poll. Then a fresh bot answers 1,000
/// mentions — 400 in 40 Telegram groups, 300 in 30 Discord channels, 300 on X (X's windows scaled to 15 s as the
/// whole-bot tests do; every rule still enforced) — and its peak RSS, smaps_rollup and largest mappings are printed.
enum MemoryBenchmark {
    static let idleSeconds = 30
    static let telegramGroups = 40, perGroup = 10, discordChannels = 30, perChannel = 10, xMentions = 300

    static func run() async throws {
        let world = try await ThreePlatformWorld.start()
        do {
            try await idle(world)
            try await load(world)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    static func idle(_ world: ThreePlatformWorld) async throws {
        let before = await world.watchCounts()
        let started = Date()
        let (child, folder) = try world.startBot(busy: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard await world.waitUntilWatching(child, since: before) else {
            await child.terminate()
            throw BenchmarkError("the idle bot never watched all three platforms:\n\(child.logTail(lines: 30))")
        }
        let firstPoll = await world.telegram.recorder.requests(path: "getUpdates").first?.at ?? started
        let probe = ProcessProbe(pid: child.pid)
        try await Task.sleep(for: .seconds(2))
        let requestsBefore = await requestCounts(world)
        let cpuBefore = probe.cpuSeconds
        // 30 s: /proc counts CPU in clock ticks (10 ms), so the figure's resolution is 0.033 %.
        try await Task.sleep(for: .seconds(idleSeconds))
        let idleCPU = (probe.cpuSeconds - cpuBefore) / Double(idleSeconds)
        let requestsAfter = await requestCounts(world)
        let peak = probe.peakResidentBytes
        await child.terminate(grace: .seconds(15))
        report(["benchmark": "idle_three_platforms", "idle_cpu_percent": idleCPU * 100, "idle_seconds": idleSeconds,
                "start_to_first_poll_ms": firstPoll.timeIntervalSince(started) * 1000,
                "idle_requests": zip(["telegram", "discord", "x"], zip(requestsBefore, requestsAfter))
                    .reduce(into: [String: Int]()) { $0[$1.0] = $1.1.1 - $1.1.0 },
                "peak_rss_mib": Double(peak) / 1_048_576, "settings": "contract defaults; X windows 15 min",
                "exit_status": child.exitStatus.map { Int($0) } ?? -1])
    }

    static func requestCounts(_ world: ThreePlatformWorld) async -> [Int] {
        [await world.telegram.recorder.requests.count, await world.discord.recorder.requests.count,
         await world.x.recorder.requests.count]
    }

    static func load(_ world: ThreePlatformWorld) async throws {
        var channels: [DiscordEmulator.Channel] = []
        for index in 0..<discordChannels {
            channels.append(await world.discord.addChannel(in: world.guild, name: "c\(index)"))
        }
        for endpoint in TwitterEmulator.Endpoint.allCases {
            await world.x.setRateLimit(endpoint, limit: endpoint == .createTweet ? 300 : 60, windowSeconds: 15)
        }
        let before = await world.watchCounts()
        let (child, folder) = try world.startBot(busy: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard await world.waitUntilWatching(child, since: before) else {
            await child.terminate()
            throw BenchmarkError("the loaded bot never watched all three platforms:\n\(child.logTail(lines: 30))")
        }
        let burst = try await ThreePlatformBurst.inject(world, channels: channels)
        let settled = await Polling.wait(timeout: .seconds(300), every: .milliseconds(50)) {
            await burst.replyCount(world) >= burst.total || !child.isRunning
        }
        try await Task.sleep(for: .seconds(1))
        let check = await burst.check(world)
        let probe = ProcessProbe(pid: child.pid)
        let map = MemoryMap(pid: child.pid)
        var fields: [String: Any] = [
            "benchmark": "memory_three_platforms", "replies": await burst.replyCount(world), "mentions": burst.total,
            "settled": settled, "peak_rss_mib": Double(probe.peakResidentBytes) / 1_048_576,
            "rss_now_mib": Double(probe.residentBytes) / 1_048_576, "swift_stdlib": probe.swiftStdlib, "smaps_rollup": map.rollup(),
            "top_mappings_by_rss": map.topMappings(10).map(\.fields),
            "violations": ["telegram": await world.telegram.violations.total,
                           "discord": await world.discord.violations.total,
                           "x": await world.x.violations.requestsWhileExhausted],
        ]
        fields.merge(check) { $1 }
        let ok = settled && (check["ok"] as? Bool ?? false)
        if !ok {
            BenchmarkResults.shared.fail()
            fields["log_tail"] = child.logTail(lines: 15)
        }
        await child.terminate(grace: .seconds(15))
        fields["exit_status"] = child.exitStatus.map { Int($0) } ?? -1
        report(fields)
    }
}
