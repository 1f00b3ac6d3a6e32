import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// `replytensor-bench telegram --peer`: the same load — 1,000 mentions over 100 Telegram groups, each from its own
/// user, answered through the gateway emulator (instant answers) — through an ordinary python-telegram-bot bot
/// (scripts/bench/ptb_bot.py) and through `replytensor run`, one after the other, each against fresh emulators of
/// the same kind with the Telegram emulator's rate rules off. ReplyTensor keeps its own send pacing, so its wall
/// time is longer; CPU is the bot process's user+system time from /proc between the first injected mention and
/// the last reply's arrival. Every mention must get exactly one reply (matched by id) on both sides.
enum PeerBenchmark {
    static let mentions = 1_000
    static let groups = 100

    struct Figures {
        var bot: String
        var cpuSeconds: Double
        var peakBytes: Int
        var wallSeconds: Double
        var replies: Int
        var firstPollMs: Double
        var check: TelegramLoad.Check
        var cpuMsPerReply: Double { cpuSeconds * 1000 / Double(PeerBenchmark.mentions) }
        var peakMiB: Double { Double(peakBytes) / 1_048_576 }
    }

    static func run(_ options: BenchmarkOptions) async throws {
        let python = PeerBot.pythonTelegramBot(python: try options.pythonPath(), script: try options.peerScript())
        let theirs = try await measure(python)
        let ours = try await measure(.replyTensor)
        let ok = theirs.check.ok && ours.check.ok
        if !ok { BenchmarkResults.shared.fail() }
        report(["benchmark": "telegram_peer_summary", "mentions": mentions, "groups": groups, "ok": ok,
                "cpu_per_reply_ratio_ptb_over_replytensor": theirs.cpuMsPerReply / max(ours.cpuMsPerReply, 1e-9),
                "peak_rss_ratio_ptb_over_replytensor": theirs.peakMiB / max(ours.peakMiB, 1e-9),
                "wall_seconds_ptb": theirs.wallSeconds, "wall_seconds_replytensor": ours.wallSeconds])
    }

    static func measure(_ bot: PeerBot) async throws -> Figures {
        let telegram = try await TelegramEmulator.start()
        let gateway = try await GatewayEmulator.start()
        await telegram.setRates(.off)
        let load = await TelegramLoad.prepare(telegram, mentions: mentions, groups: groups)
        let folder = URL(fileURLWithPath: temporaryStorePath("peer")).deletingLastPathComponent()
        let started = Date()
        let child = try bot.start(telegram: telegram, gateway: gateway, folder: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let polling = await Polling.wait(timeout: .seconds(60)) {
            let polls = await telegram.recorder.requests(path: "getUpdates").count
            return polls > 0 || !child.isRunning
        }
        guard polling, child.isRunning, let firstPoll = await telegram.recorder.requests(path: "getUpdates").first else {
            await child.terminate()
            await stop(telegram, gateway)
            throw BenchmarkError("\(bot.name) never polled:\n\(child.logTail(lines: 30))")
        }
        // Settle into the long poll, then the load.
        try await Task.sleep(for: .seconds(1))
        let probe = ProcessProbe(pid: child.pid)
        let cpuBefore = probe.cpuSeconds
        let clock = ContinuousClock.now
        let messages = try await load.inject()
        let arrived = await load.waitForReplies(mentions, timeout: .seconds(240))
        let wall = (ContinuousClock.now - clock).seconds
        let cpu = probe.cpuSeconds - cpuBefore
        let peak = probe.peakResidentBytes
        // Room for a late duplicate before counting.
        try await Task.sleep(for: .seconds(1))
        let check = await load.check(messages)
        let replies = await telegram.sent.count
        let violations = await telegram.violations
        let versions = bot.versions(from: child)
        let stdlib = probe.swiftStdlib
        // python-telegram-bot waits out its pending long poll before it exits: SIGKILL after 5 s (exit status 9).
        await child.terminate(grace: .seconds(5))
        let figures = Figures(bot: bot.name, cpuSeconds: cpu, peakBytes: peak, wallSeconds: wall, replies: replies,
                              firstPollMs: firstPoll.at.timeIntervalSince(started) * 1000, check: check)
        var fields: [String: Any] = [
            "benchmark": "telegram_peer", "bot": bot.name, "mentions": mentions, "groups": groups,
            "cpu_ms_per_reply": figures.cpuMsPerReply, "cpu_seconds": cpu, "peak_rss_mib": figures.peakMiB,
            "wall_seconds": wall, "replies": replies, "all_arrived": arrived, "rate_rules": "off",
            "send_pacing": bot.name == "replytensor" ? "on (the bot's own)" : "none (no rate limiter)",
            "start_to_first_poll_ms": figures.firstPollMs, "rule_violations_counted": violations.total,
            "exit_status": child.exitStatus.map { Int($0) } ?? -1,
        ]
        fields.merge(check.fields) { $1 }
        fields.merge(versions) { $1 }
        if case .replyTensor = bot { fields["swift_stdlib"] = stdlib }
        if !check.ok || !arrived { fields["log_tail"] = child.logTail(lines: 10) }
        report(fields)
        await stop(telegram, gateway)
        return figures
    }

    static func stop(_ telegram: TelegramEmulator, _ gateway: GatewayEmulator) async {
        await telegram.stop()
        await gateway.stop()
    }
}
