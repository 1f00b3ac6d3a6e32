import Foundation
import ReplyTensorEmulators
import Testing

@Suite("Discord end to end (real binary)", .serialized)
struct DiscordEndToEndTests {
    @Test("mentions, replies to the bot and role mentions answered once; bots, webhooks, self and noise never")
    func addressedKinds() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let discord = world.discord
        let channel = await discord.addChannel(in: world.guild, name: "general")
        let alice = await discord.addUser(username: "alice", globalName: "Alice")
        let robot = await discord.addUser(username: "robot", bot: true)
        let role = try #require(await discord.managedRole(in: world.guild))
        _ = try await discord.inject("<@\(discord.bot.id)> history before the bot started", from: alice, in: channel)
        let bot = try world.startBot()
        #expect(await world.waitUntilWatching())
        let mention = try await discord.inject("<@\(discord.bot.id)> what is a subnet?", from: alice, in: channel)
        let roleMention = try await discord.inject("<@&\(role)> are you there?", from: alice, in: channel)
        #expect(await DiscordWorld.wait(timeout: .seconds(20)) { await discord.sent.count >= 2 })
        let answer = try #require(await discord.replies(to: mention).first)
        let reply = try await discord.inject("tell me more", from: alice, in: channel,
                                             replyTo: await discord.message(answer.message.id, in: channel),
                                             pingReplied: false)
        let noise = try await discord.inject("just talking", from: alice, in: channel)
        let otherBot = try await discord.inject("<@\(discord.bot.id)> hi from a bot", from: robot, in: channel)
        let webhook = try await discord.inject("<@\(discord.bot.id)> hi from a hook", from: alice, in: channel,
                                               webhook: true)
        let own = try await discord.inject("<@\(discord.bot.id)> talking to myself", from: discord.bot, in: channel)
        #expect(await DiscordWorld.wait(timeout: .seconds(20)) { await discord.sent.count >= 3 })
        try await Task.sleep(for: .seconds(2))
        #expect(await world.replyCounts([mention, roleMention, reply]) == [1, 1, 1])
        #expect(await world.replyCounts([noise, otherBot, webhook, own]) == [0, 0, 0, 0])
        #expect(await discord.sent.count == 3)
        #expect(answer.text.contains("what is a subnet?"))
        #expect(!answer.text.contains("<@"))
        #expect(await discord.violations == DiscordEmulator.Violations())
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        let ledger = try await world.ledger()
        #expect(ledger["answered"] == 3)
        #expect(ledger["skipped"] == 3)
        // status shows how long a mention may wait at this polling budget.
        let state = try await world.status()["platform_state"] as? [String: [String: String]]
        #expect(state?["discord"]?["poll.mention_wait_seconds"] != nil)
    }

    @Test("an answer full of @everyone, @here, <@&role> and <@user> is sent with parse empty and pings no one")
    func hostileAnswerPingsNoOne() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        let discord = world.discord
        let channel = await discord.addChannel(in: world.guild, name: "general")
        let alice = await discord.addUser(username: "alice")
        let victim = await discord.addUser(username: "victim")
        let role = await discord.addRole(in: world.guild, name: "everyone-role")
        await world.gateway.setAnswer { _ in "@everyone @here <@&\(role)> <@\(victim.id)> look at this" }
        // Without the mention-safety and output plugins the adapter alone must keep everyone quiet.
        try world.writeConfig(extra: "[plugins]\nenabled = [\"commands\"]\n[plugins.output]\nenabled = false")
        let bot = try world.startBot()
        #expect(await world.waitUntilWatching())
        let mention = try await discord.inject("<@\(discord.bot.id)> ping them", from: alice, in: channel)
        #expect(await DiscordWorld.wait(timeout: .seconds(20)) { await !discord.sent.isEmpty })
        let sent = try #require(await discord.replies(to: mention).first)
        #expect(sent.text.contains("@everyone"))
        #expect(sent.allowedParse == [])
        #expect(sent.repliedUser == true)
        #expect(sent.contentPings.isEmpty)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("300 mentions across 30 channels: all answered, no request into an exhausted bucket, global rate kept")
    func burstOf300() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let bot = try world.startBot()
        #expect(await world.waitUntilWatching())
        await world.discord.faults.enqueue(.rateLimited(retryAfterSeconds: 1), route: "messages", times: 3)
        let started = ContinuousClock.now
        let (_, messages) = try await world.burst(channels: 30, perChannel: 10)
        let done = await DiscordWorld.wait(timeout: .seconds(150)) { await world.discord.sent.count >= 300 }
        let elapsed = ContinuousClock.now - started
        let sentCount = await world.discord.sent.count
        #expect(done, "only \(sentCount) of 300 replies")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("discord burst: 300 replies in \(elapsed), \(String(format: "%.1f", 300 / seconds)) replies/s")
        try await Task.sleep(for: .seconds(1))
        #expect(await world.replyCounts(messages).allSatisfy { $0 == 1 })
        let violations = await world.discord.violations
        #expect(violations.exhaustedBucket == 0)
        #expect(violations.globalExcess == 0)
        #expect(violations.retryAfterIgnored == 0)
        #expect(violations.badUserAgent == 0)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        #expect(try await world.ledger()["answered"] == 300)
    }

    @Test("kill -9 during a burst, restart: never two messages for one mention")
    func killNineRepeatedly() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let first = try world.startBot()
        #expect(await world.waitUntilWatching())
        // Messages are created but their answers held back: a kill now leaves mentions in `posting`.
        await world.discord.setPostAnswerDelay(.seconds(3))
        let (_, messages) = try await world.burst(channels: 20, perChannel: 5)
        #expect(await world.discord.waitForSent(count: 8, timeout: .seconds(30)))
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        await world.discord.setPostAnswerDelay(.zero)
        for _ in 0..<4 {
            let bot = try world.startBot()
            try await Task.sleep(for: .milliseconds(Int.random(in: 800...2500)))
            bot.signal(SIGKILL)
            _ = await bot.waitForExit(timeout: .seconds(10))
        }
        let last = try world.startBot()
        let settled = await DiscordWorld.wait(timeout: .seconds(120)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return (ledger["answered"] ?? 0) + (ledger["failed"] ?? 0) + (ledger["unknown"] ?? 0) == messages.count
        }
        #expect(settled)
        // Let the last run get past its start-up (signal handlers) and resume whatever was left.
        try await Task.sleep(for: .seconds(2))
        last.signal(SIGTERM)
        let status = await last.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "exit \(String(describing: status)):\n\(last.output.suffix(1500))")
        let counts = await world.replyCounts(messages)
        #expect(counts.allSatisfy { $0 <= 1 }, "a mention got two messages")
        let deduped = await world.discord.dedupedResends
        print("discord kill -9: \(deduped) resend(s) answered by nonce de-duplication")
        #expect(deduped >= 1, "the interrupted posts were resent with their nonce")
        let ledger = try await world.ledger()
        // Resends carry the same nonce: nothing is left unknown, everything is answered.
        #expect(ledger["answered"] == messages.count)
        #expect(counts.allSatisfy { $0 == 1 })
    }

    @Test("two bots mentioning each other stop at the configured loop depth")
    func twoBotsStop() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        let discord = world.discord
        let channel = await discord.addChannel(in: world.guild, name: "general")
        let other = await discord.addBot(username: "OtherBot", token: DiscordWorld.otherToken)
        let alice = await discord.addUser(username: "alice")
        // Each bot's answer mentions the other one.
        await world.gateway.setAnswer { request in
            request.lastUserMessage.contains("ping-pong") ? "<@\(other.id)> your turn" : "<@\(discord.bot.id)> your turn"
        }
        let otherFolder = try BotProcess.makeFolder()
        // Mention-safety and the output policy would already break the markup; without them the guards alone must
        // stop the loop.
        let plugins = "[plugins]\nenabled = [\"commands\"]\n[plugins.output]\nenabled = false"
        try world.writeConfig(botExtra: "max_consecutive_replies = 2", extra: plugins)
        try world.writeConfig(folder: otherFolder, tokenEnv: "E2E_OTHER_TOKEN", botExtra: "max_consecutive_replies = 2",
                              extra: plugins)
        let first = try world.startBot()
        let second = try world.startBot(folder: otherFolder)
        #expect(await world.waitUntilWatching())
        try await Task.sleep(for: .seconds(1))
        _ = try await discord.inject("<@\(discord.bot.id)> start the ping-pong", from: alice, in: channel)
        #expect(await DiscordWorld.wait(timeout: .seconds(20)) { await !discord.sent.isEmpty })
        // Give a loop every chance to happen.
        try await Task.sleep(for: .seconds(5))
        let sent = await discord.sent
        #expect(sent.count <= 2, "bots kept talking: \(sent.count) messages")
        #expect(sent.filter { $0.botID == discord.bot.id }.count == 1)
        for bot in [first, second] { bot.signal(SIGTERM) }
        #expect(await first.waitForExit(timeout: .seconds(20)) == 0)
        #expect(await second.waitForExit(timeout: .seconds(20)) == 0)
        let otherLedger = try await world.ledger(folder: otherFolder)
        #expect(otherLedger["skipped"] ?? 0 >= 1, "the other bot recorded the bot's mention as skipped")
        #expect(otherLedger["answered"] == nil)
    }

    @Test("20% injected faults: completes, no crash, no duplicate; a rejected token stops cleanly")
    func faultsAndUnauthorized() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(logLevel: "debug")
        let palette: [Fault] = [.status(500), .status(502), .rateLimited(retryAfterSeconds: 1), .malformedJSON,
                                .stall(.milliseconds(300)), .dropConnection]
        let bot = try world.startBot()
        #expect(await world.waitUntilWatching())
        await world.discord.faults.randomFaults(rate: 0.2, palette: palette, exempt: ["/users/@me"])
        await world.gateway.faults.randomFaults(rate: 0.2, palette: [.status(500), .rateLimited(retryAfterSeconds: 1),
                                                                     .malformedJSON, .dropConnection])
        let (_, messages) = try await world.burst(channels: 10, perChannel: 10)
        let settled = await DiscordWorld.wait(timeout: .seconds(150)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return LedgerCounts.finished(ledger) == messages.count
        }
        #expect(settled)
        #expect(bot.process.isRunning, "the bot crashed:\n\(bot.output.suffix(2000))")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        let counts = await world.replyCounts(messages)
        #expect(counts.allSatisfy { $0 <= 1 })
        #expect(counts.filter { $0 == 1 }.count >= 90, "most mentions must still be answered")
        #expect(await world.discord.violations.retryAfterIgnored == 0)
        #expect(!bot.output.contains(world.discord.token))
        // A token Discord rejects: a clear stop with exit 1, the token nowhere.
        var environment = world.environment
        environment["E2E_DISCORD_TOKEN"] = "WRONG.discord-token-that-must-not-leak"
        let rejected = try await BotProcess.run(["run"], folder: world.folder, environment: environment)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("401"))
        #expect(rejected.output.contains("Discord rejected the bot token"))
        #expect(!rejected.output.contains("discord-token-that-must-not-leak"))
    }

    @Test("check verifies the token, lists readable and writable channels and warns about missing permissions")
    func check() async throws {
        let world = try await DiscordWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let discord = world.discord
        await discord.addChannel(in: world.guild, name: "general")
        let staff = await discord.addChannel(in: world.guild, name: "staff")
        await discord.denyBot(1 << 10, in: staff)
        let rules = await discord.addChannel(in: world.guild, name: "rules")
        await discord.denyBot(1 << 11, in: rules)
        let result = try await BotProcess.run(["check"], folder: world.folder, environment: world.environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("✔ discord: token accepted: ReplyTensor"))
        #expect(result.output.contains("2 readable and 1 writable channel(s)"))
        #expect(result.output.contains("#staff (Subnet friends): missing VIEW_CHANNEL\n"))
        #expect(result.output.contains("#staff (\(staff.id)): no access"))
        #expect(result.output.contains("#rules (Subnet friends): missing SEND_MESSAGES"))
        #expect(result.output.contains("a mention may wait up to"))
        var environment = world.environment
        environment["E2E_DISCORD_TOKEN"] = "WRONG.discord-token-that-must-not-leak"
        let rejected = try await BotProcess.run(["check"], folder: world.folder, environment: environment)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("401"))
        #expect(!rejected.output.contains("discord-token-that-must-not-leak"))
    }

    @Test("the sandbox tour plays Discord conversations next to the Telegram ones and every expectation holds")
    func sandboxTour() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox"], folder: folder, timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("Discord HTTP API emulator  http://127.0.0.1:"))
        #expect(result.output.contains("✔ a Discord mention is answered exactly once"))
        #expect(result.output.contains("✔ a mention of the bot's role is answered exactly once"))
        #expect(result.output.contains("✔ a Discord forum post mentioning the bot is answered in the post exactly once"))
        #expect(result.output.contains("✔ the forum post's reply is in the post, replying to the starter message"))
        #expect(result.output.contains("✔ no Discord rate limit was broken"))
        #expect(!result.output.contains("✘"))
    }
}
