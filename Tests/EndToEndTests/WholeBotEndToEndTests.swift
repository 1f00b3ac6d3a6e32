import Foundation
import ReplyTensorEmulators
import Testing

/// The real binary with Telegram, Discord and X enabled at once, answering through a local subnet first and the
/// gateway second, under injected faults, `kill -9` and SIGTERM.
///
/// Scale: 300 mentions per platform as the issue asks (900 in all), settled in about 100-110 s on 2 shared cores.
/// X's 15-minute windows are scaled to 15 s (`WholeBotWorld`) so the run sees several of them; the rules are enforced
/// by the emulators all the same. Lower `Scale` if a slower machine cannot settle within the 150 s allowed.
@Suite("Whole bot end to end (real binary): three platforms, local subnet, faults, kills", .serialized)
struct WholeBotEndToEndTests {
    enum Scale {
        static let telegramChats = 30
        static let telegramPerChat = 10
        static let discordChannels = 30
        static let discordPerChannel = 10
        static let xMentions = 300
    }

    static let palette: [Fault] = [.status(500), .status(502), .rateLimited(retryAfterSeconds: 1), .malformedJSON,
                                   .stall(.milliseconds(300)), .dropConnection]

    @Test("3 platforms × mentions, 20% faults (emulators and miners), 10 × kill -9: no duplicate, all recorded, no rule broken")
    func faultsAndKills() async throws {
        let started = ContinuousClock.now
        let world = try await WholeBotWorld.start(minerFaultRate: 0.2)
        defer { Task { await world.stop() } }
        try world.writeConfig()
        var bot = try await world.startBotAndWaitUntilWatching()
        await world.telegram.telegram.faults.randomFaults(rate: 0.2, palette: Self.palette, exempt: ["getMe"])
        await world.discord.discord.faults.randomFaults(rate: 0.2, palette: Self.palette, exempt: ["/users/@me"])
        await world.twitter.x.faults.randomFaults(rate: 0.2, palette: Self.palette, exempt: ["/users/me"])
        await world.gateway.faults.randomFaults(rate: 0.2, palette: [.status(500), .rateLimited(retryAfterSeconds: 1),
                                                                     .malformedJSON, .dropConnection])
        let telegramMessages = try await world.telegram.burst(chats: Scale.telegramChats, perChat: Scale.telegramPerChat)
        let (_, discordMessages) = try await world.discord.burst(channels: Scale.discordChannels,
                                                                 perChannel: Scale.discordPerChannel)
        let tweets = await world.twitter.mentions(Scale.xMentions)
        let expected = ["telegram": telegramMessages.count, "discord": discordMessages.count, "twitter": tweets.count]

        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 700...2500)))
            bot.signal(SIGKILL)
            #expect(await bot.waitForExit(timeout: .seconds(10)) != nil)
            bot = try world.startBot()
        }
        let killsDone = ContinuousClock.now
        var ledgers: [String: [String: Int]] = [:]
        let settled = await WholeBotWorld.wait(timeout: .seconds(150)) {
            ledgers = (try? await world.ledgers()) ?? [:]
            return expected.allSatisfy { platform, count in
                let ledger = ledgers[platform] ?? [:]
                return LedgerCounts.finished(ledger) == count
            }
        }
        #expect(settled, "not settled: \(ledgers)\n\(bot.output.suffix(3000))")
        #expect(bot.process.isRunning, "the bot crashed:\n\(bot.output.suffix(3000))")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0)
        let finished = ContinuousClock.now

        // Zero duplicates; every answered mention has its reply; replies beyond that are only for unknown ones.
        let counts = ["telegram": await world.telegram.replyCounts(telegramMessages),
                      "discord": await world.discord.replyCounts(discordMessages),
                      "twitter": await world.twitter.replyCounts(tweets)]
        let status = try await world.status()
        ledgers = (status["mentions"] as? [String: [String: Int]]) ?? [:]
        for (platform, replyCounts) in counts {
            let ledger = ledgers[platform] ?? [:]
            #expect(replyCounts.allSatisfy { $0 <= 1 }, "\(platform): a mention got two replies")
            let replied = replyCounts.filter { $0 == 1 }.count
            #expect(replied >= ledger["answered"] ?? 0, "\(platform): \(ledger)")
            #expect(replied <= (ledger["answered"] ?? 0) + (ledger["unknown"] ?? 0), "\(platform): \(ledger)")
            #expect(LedgerCounts.finished(ledger) == expected[platform])
            #expect(replied * 2 >= replyCounts.count, "\(platform): most mentions must still be answered: \(ledger)")
        }
        #expect(await world.twitter.x.violations.duplicates == 0, "the bot even tried to post twice on X")
        // Only mentions in flight at a kill may be unknown, and status lists each of them with its reason.
        let unknown = status["unknown"] as? [[String: Any]] ?? []
        let unknownTotal = ledgers.values.reduce(0) { $0 + ($1["unknown"] ?? 0) }
        #expect(unknown.count == unknownTotal, "status lists \(unknown.count) unknown of \(unknownTotal)")
        // Unknown only when a post was on its way: cut by a kill, or its answer lost to a dropped connection.
        #expect(unknown.allSatisfy { entry in
            let reason = entry["reason"] as? String ?? ""
            return reason.hasPrefix("interrupted while posting") || reason.hasPrefix("post outcome unknown")
        }, "\(unknown.map { $0["reason"] ?? "" })")
        let interrupted = unknown.filter { ($0["reason"] as? String)?.hasPrefix("interrupted") == true }.count
        #expect(interrupted <= 10 * 8, "more posts cut than could be in flight at ten kills (8 workers each)")

        // No platform rule broken, no request into an open retry_after or rate window.
        let telegramViolations = await world.telegram.telegram.violations
        #expect(telegramViolations.total == 0, "Telegram: \(telegramViolations)")
        let failures = (status["recent_failures"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(failures.allSatisfy { !$0.isEmpty }, "every failed mention has its reason")
        let discordViolations = await world.discord.discord.violations
        #expect(discordViolations.total == 0, "Discord: \(discordViolations)")
        if discordViolations.total > 0 {
            let requests = await world.discord.discord.recorder.requests
            for limited in requests where limited.status == 429 {
                let scope = "/" + limited.path.split(separator: "/").prefix(4).joined(separator: "/")
                for next in requests where next.at > limited.at && next.at < limited.at.addingTimeInterval(1.05)
                    && next.path.hasPrefix(scope) {
                    print("DIAG discord: \(limited.method) \(limited.path) 429 then \(next.method) \(next.path) "
                          + "\(next.status) after \(next.at.timeIntervalSince(limited.at)) s")
                }
            }
        }
        let xViolations = await world.twitter.x.violations
        #expect(xViolations.requestsWhileExhausted == 0 && xViolations.refreshTokenReuse == 0
                && xViolations.replyNotAllowed == 0 && xViolations.unauthorized == 0, "X: \(xViolations)")
        // Faults really happened, and the subnet answered first (the gateway only when miners failed).
        #expect(await world.telegram.telegram.faults.injected.count >= 5)
        #expect(await world.discord.discord.faults.injected.count >= 5)
        #expect(await world.twitter.x.faults.injected.count >= 3)
        let texts = await world.telegram.telegram.sent.map(\.text) + (await world.discord.discord.sent.map(\.text))
            + (await world.twitter.x.botPosts.map(\.text))
        let fromMiners = texts.filter { $0.contains("[local miner]") }.count
        #expect(fromMiners * 2 > texts.count, "most answers come from the local subnet: \(fromMiners) of \(texts.count)")
        let replies = counts.values.reduce(0) { $0 + $1.filter { $0 == 1 }.count }
        print("whole bot faults+kills: \(expected.values.reduce(0, +)) mentions, \(replies) replies "
              + "(\(fromMiners) from local miners), ledgers \(ledgers), unknown \(unknownTotal) (\(interrupted) cut by a kill); "
              + "kills done after \(killsDone - started), settled after \(finished - started)")
    }

    @Test("SIGTERM during a burst drains in-flight work within bot.shutdown_grace_seconds, exits 0; restart loses and doubles nothing")
    func sigtermDrains() async throws {
        let grace = 6
        let world = try await WholeBotWorld.start(minerDelay: .milliseconds(1500))
        defer { Task { await world.stop() } }
        try world.writeConfig(graceSeconds: grace)
        let first = try await world.startBotAndWaitUntilWatching()
        let telegramMessages = try await world.telegram.burst(chats: 20, perChat: 3)
        let (_, discordMessages) = try await world.discord.burst(channels: 10, perChannel: 3)
        let tweets = await world.twitter.mentions(30)
        let total = telegramMessages.count + discordMessages.count + tweets.count
        // Stop in the middle of the burst: some replies out, the miners busy with others.
        let midBurst = await WholeBotWorld.wait(timeout: .seconds(60)) {
            await world.telegram.telegram.sent.count >= 3
        }
        #expect(midBurst)
        let before = await world.telegram.telegram.sent.count + (await world.discord.discord.sent.count)
            + (await world.twitter.x.botPosts.count)
        #expect(before * 2 < total, "the burst was already half over")
        let inFlight = try await world.ledgers().values.reduce(0) { $0 + ($1["responding"] ?? 0) + ($1["posting"] ?? 0) }
        #expect(inFlight >= 1, "nothing in flight to drain")
        let signalled = ContinuousClock.now
        first.signal(SIGTERM)
        let status = await first.waitForExit(timeout: .seconds(grace + 10))
        let exitTime = ContinuousClock.now - signalled
        #expect(status == 0, "exit \(String(describing: status)):\n\(first.output.suffix(2000))")
        #expect(exitTime <= .seconds(grace) + .seconds(2), "exit took \(exitTime) with a \(grace) s grace period")
        let drained = await world.telegram.telegram.sent.count + (await world.discord.discord.sent.count)
            + (await world.twitter.x.botPosts.count)
        #expect(drained > before, "the work in flight at the signal was finished before the exit")
        let ledgersAfterStop = try await world.ledgers()
        #expect(ledgersAfterStop.values.allSatisfy { ($0["unknown"] ?? 0) == 0 }, "a drained stop leaves nothing unknown: \(ledgersAfterStop)")

        let second = try world.startBot()
        let done = await WholeBotWorld.wait(timeout: .seconds(120)) {
            let ledgers = (try? await world.ledgers()) ?? [:]
            return ledgers.values.reduce(0) { $0 + ($1["answered"] ?? 0) } == total
        }
        #expect(done, "\(second.output.suffix(3000))")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        #expect(await world.telegram.replyCounts(telegramMessages).allSatisfy { $0 == 1 })
        #expect(await world.discord.replyCounts(discordMessages).allSatisfy { $0 == 1 })
        #expect(await world.twitter.replyCounts(tweets).allSatisfy { $0 == 1 })
        let ledgers = try await world.ledgers()
        #expect(ledgers["telegram"]?["answered"] == telegramMessages.count)
        #expect(ledgers["discord"]?["answered"] == discordMessages.count)
        #expect(ledgers["twitter"]?["answered"] == tweets.count)
        print("whole bot SIGTERM: \(before) of \(total) replies out, \(inFlight) in flight at the signal, \(drained) out at the exit; exit 0 after \(exitTime) (grace \(grace) s)")
    }
}
