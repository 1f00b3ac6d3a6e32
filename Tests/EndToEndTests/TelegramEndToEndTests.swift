import Foundation
import ReplyTensorEmulators
import Testing

@Suite("Telegram end to end (real binary)", .serialized)
struct TelegramEndToEndTests {
    @Test("every addressed kind is answered once, replying to the right message; noise, self and bots never")
    func addressedKinds() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let telegram = world.telegram
        let alice = await telegram.addUser(username: "alice", firstName: "Alice")
        let robot = await telegram.addUser(username: "robot_bot", firstName: "Robot", isBot: true)
        let group = await telegram.addGroup(title: "g", supergroup: true)
        let bot = try world.startBot()
        let direct = try await telegram.inject(text: "hello in private", from: alice)
        let mention = try await telegram.inject(text: "👨‍👩‍👧 e\u{301} @replytensorbot what is a subnet?", from: alice, in: group)
        let command = try await telegram.inject(text: "/ping@ReplyTensorBot", from: alice, in: group)
        #expect(await TelegramWorld.wait(timeout: .seconds(20)) { await telegram.sent.count >= 3 })
        let reply = try await telegram.inject(text: "tell me more", from: alice, in: group,
                                              replyTo: await telegram.replies(to: mention).first?.message)
        let noise = try await telegram.inject(text: "just talking", from: alice, in: group)
        let otherBot = try await telegram.inject(text: "@ReplyTensorBot hi from a bot", from: robot, in: group)
        #expect(await TelegramWorld.wait(timeout: .seconds(20)) { await telegram.sent.count >= 4 })
        try await Task.sleep(for: .seconds(1))
        #expect(await world.replyCounts([direct, mention, command, reply]) == [1, 1, 1, 1])
        #expect(await world.replyCounts([noise, otherBot]) == [0, 0])
        #expect(await telegram.replies(to: command).first?.text == "pong")
        let answered = await telegram.replies(to: mention).first?.text ?? ""
        #expect(answered.contains("what is a subnet?"))
        #expect(!answered.contains("@replytensorbot"))
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("check reads getWebhookInfo: a set webhook is a warning naming its host (never its path) and delete_webhook")
    func checkSeesAWebhook() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let clean = try await BotProcess.run(["check"], folder: world.folder, environment: world.environment)
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("webhook: none"))
        #expect(await world.telegram.recorder.requests(path: "getWebhookInfo").count == 1)

        await world.telegram.setWebhook("https://hooks.example.org/telegram/secret-path-4711")
        let hooked = try await BotProcess.run(["check"], folder: world.folder, environment: world.environment)
        #expect(hooked.status == 0, "\(hooked.output)")
        #expect(hooked.output.contains("a webhook is set (host hooks.example.org"))
        #expect(hooked.output.contains("delete_webhook = true"))
        #expect(!hooked.output.contains("secret-path-4711"))
    }

    @Test("300 mentions across 30 chats: 300 replies, no Telegram rule broken, no send into an open retry_after")
    func burstOf300() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let messages = try await world.burst(chats: 30, perChat: 10)
        // Some 429s from the platform too: the bot must honour their retry_after.
        await world.telegram.faults.enqueue(.rateLimited(retryAfterSeconds: 2), route: "sendMessage", times: 3)
        let bot = try world.startBot()
        let done = await TelegramWorld.wait(timeout: .seconds(120)) { await world.telegram.sent.count >= 300 }
        let sentCount = await world.telegram.sent.count
        #expect(done, "only \(sentCount) of 300 replies")
        try await Task.sleep(for: .seconds(1))
        #expect(await world.replyCounts(messages).allSatisfy { $0 == 1 })
        let violations = await world.telegram.violations
        #expect(violations.retryAfterIgnored == 0)
        #expect(violations.ruleExcess == 0)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        #expect(try await world.ledger()["answered"] == 300)
    }

    @Test("SIGTERM mid-burst exits 0, and after a restart nothing is lost or doubled")
    func sigtermThenRestart() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let messages = try await world.burst(chats: 20, perChat: 5)
        let first = try world.startBot()
        _ = await TelegramWorld.wait(timeout: .seconds(60)) { await world.telegram.sent.count >= 30 }
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(20)) == 0)
        let second = try world.startBot()
        let done = await TelegramWorld.wait(timeout: .seconds(90)) {
            await world.replyCounts(messages).allSatisfy { $0 >= 1 }
        }
        #expect(done)
        try await Task.sleep(for: .seconds(1))
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(20)) == 0)
        #expect(await world.replyCounts(messages).allSatisfy { $0 == 1 })
        #expect(try await world.ledger()["answered"] == 100)
    }

    @Test("SIGTERM while the bot is still starting is a clean stop (exit 0), not a kill")
    func sigtermWhileStarting() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        // Not earlier: a signal before the process reaches `main` still has its default effect.
        for delay in [150, 250, 400] {
            let bot = try world.startBot()
            try await Task.sleep(for: .milliseconds(delay))
            bot.signal(SIGTERM)
            #expect(await bot.waitForExit(timeout: .seconds(20)) == 0, "SIGTERM after \(delay) ms: \(bot.output)")
        }
    }

    @Test("kill -9 at random moments during a burst: never two replies; every message answered or recorded")
    func killNineRepeatedly() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let messages = try await world.burst(chats: 30, perChat: 5)
        for _ in 0..<6 {
            let bot = try world.startBot()
            try await Task.sleep(for: .milliseconds(Int.random(in: 600...2500)))
            bot.signal(SIGKILL)
            _ = await bot.waitForExit(timeout: .seconds(10))
        }
        let last = try world.startBot()
        let settled = await TelegramWorld.wait(timeout: .seconds(120)) {
            let ledger = (try? await world.ledger()) ?? [:]
            let finished = LedgerCounts.finished(ledger)
            return finished == messages.count
        }
        #expect(settled)
        last.signal(SIGTERM)
        #expect(await last.waitForExit(timeout: .seconds(20)) == 0, "\(last.output.suffix(3000))")
        let counts = await world.replyCounts(messages)
        #expect(counts.allSatisfy { $0 <= 1 }, "a message got two replies")
        let ledger = try await world.ledger()
        // An unknown mention may or may not have its reply out; answered ones always do.
        let replied = counts.filter { $0 == 1 }.count
        #expect(replied >= ledger["answered"] ?? 0)
        #expect(replied <= (ledger["answered"] ?? 0) + (ledger["unknown"] ?? 0))
        #expect(LedgerCounts.finished(ledger) == messages.count)
        // Unknown mentions are listed by status with their reason.
        let unknown = try await world.status()["unknown"] as? [[String: Any]] ?? []
        #expect(unknown.count == (ledger["unknown"] ?? 0))
        #expect(unknown.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test("20% injected faults on Telegram and the gateway: the run completes, no crash, no duplicate")
    func faults() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let palette: [Fault] = [.status(500), .status(502), .rateLimited(retryAfterSeconds: 1), .malformedJSON,
                                .stall(.milliseconds(300)), .dropConnection]
        await world.telegram.faults.randomFaults(rate: 0.2, palette: palette, exempt: ["getMe"])
        await world.gateway.faults.randomFaults(rate: 0.2, palette: [.status(500), .rateLimited(retryAfterSeconds: 1),
                                                                     .malformedJSON, .dropConnection])
        let messages = try await world.burst(chats: 10, perChat: 10)
        let bot = try world.startBot()
        let settled = await TelegramWorld.wait(timeout: .seconds(150)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return LedgerCounts.finished(ledger) == messages.count
        }
        #expect(settled)
        #expect(bot.process.isRunning, "the bot crashed:\n\(bot.output.suffix(2000))")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        let counts = await world.replyCounts(messages)
        #expect(counts.allSatisfy { $0 <= 1 })
        #expect(counts.filter { $0 == 1 }.count >= 80, "most mentions must still be answered")
        let details = await world.telegram.violationDetails
        #expect(await world.telegram.violations.retryAfterIgnored == 0, "\(details)")
    }

    @Test("a 10,000-character answer arrives as correctly split parts; @everyone is defused")
    func longAndHostileAnswers() async throws {
        let paragraph = Array(repeating: "Miners answer prompts and validators score them.", count: 41)
            .joined(separator: " ")
        let long = Array(repeating: paragraph, count: 5).joined(separator: "\n\n")
        let world = try await TelegramWorld.start { request in
            request.lastUserMessage.contains("long") ? long : "@everyone @here look <@&42> \(request.lastUserMessage)"
        }
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let alice = await world.telegram.addUser(username: "alice", firstName: "Alice")
        let longQuestion = try await world.telegram.inject(text: "a long answer please", from: alice)
        let hostile = try await world.telegram.inject(text: "ping them", from: alice)
        let bot = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await world.telegram.sent.count >= 4 })
        try await Task.sleep(for: .milliseconds(500))
        let parts = await world.telegram.replies(to: longQuestion)
        #expect(long.utf16.count > 10_000)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.text.utf16.count <= 4096 && $0.parseMode == nil })
        #expect(parts.map(\.text).joined(separator: "\n\n") == long.trimmingCharacters(in: .whitespacesAndNewlines))
        let defused = await world.telegram.replies(to: hostile)
        #expect(defused.count == 1)
        #expect(defused.allSatisfy { !$0.text.contains("@everyone") && !$0.text.contains("@here") && !$0.text.contains("<@&") })
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("the token and the gateway key appear nowhere in trace logs or in the database; a bad token stops cleanly")
    func secretsStaySecret() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(logLevel: "trace")
        let alice = await world.telegram.addUser(username: "alice", firstName: "Alice")
        _ = try await world.telegram.inject(text: "hello", from: alice)
        await world.telegram.faults.enqueue(.status(500), route: "sendMessage")
        await world.gateway.faults.enqueue(.status(500))
        let bot = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await !world.telegram.sent.isEmpty })
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        let log = bot.output
        #expect(log.contains("getUpdates"), "trace logs should show the requests")
        for secret in [world.telegram.token, world.gateway.apiKey] {
            #expect(!log.contains(secret), "secret in the log")
            #expect(!log.contains(String(secret.suffix(16))), "part of a secret in the log")
            for file in ["bot.sqlite", "bot.sqlite-wal"] {
                let data = FileManager.default.contents(atPath: world.folder.appendingPathComponent(file).path) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "secret in \(file)")
            }
        }
        // A token Telegram rejects: a clear stop with exit 1, the token nowhere.
        var environment = world.environment
        environment["E2E_TELEGRAM_TOKEN"] = "123456:WRONG-token-that-must-not-leak"
        let rejected = try await BotProcess.run(["run"], folder: world.folder, environment: environment)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("401"))
        #expect(!rejected.output.contains("WRONG-token-that-must-not-leak"))
    }
}
