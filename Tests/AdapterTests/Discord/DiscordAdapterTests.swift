import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

/// The adapter against the emulator over loopback.
@Suite("Discord adapter")
struct DiscordAdapterTests {
    func stop(_ emulator: DiscordEmulator) { Task { await emulator.stop() } }

    @Test func firstSightStartsFromNowThenAddressedMessagesArrive() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let alice = await emulator.addUser(username: "alice", globalName: "Alice")
        let bot = emulator.bot
        _ = try await emulator.inject("old question <@\(bot.id)>", from: alice, in: channel)
        let adapter = DiscordTest.adapter(emulator)
        let identity = try await adapter.identity()
        #expect(identity.id == bot.id)
        var cursors: [String: String] = [:]
        #expect(try await DiscordTest.poll(adapter, cursors: &cursors).isEmpty)
        #expect(cursors[DiscordAdapter.cursorScope(channel.id)] != nil)
        let mention = try await emulator.inject("<@\(bot.id)> what is a subnet?", from: alice, in: channel)
        let messages = try await DiscordTest.poll(adapter, cursors: &cursors)
        #expect(messages.map(\.id) == [mention.id])
        #expect(messages.first?.text == "what is a subnet?")
        #expect(messages.first?.addressedAs == .mention)
        #expect(messages.first?.author.isBot == false)
        #expect(try await DiscordTest.poll(adapter, cursors: &cursors).isEmpty)
    }

    @Test func addressingKindsAndNoise() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        let emulator = world.emulator
        let bot = emulator.bot
        let bob = await emulator.addUser(username: "bob", globalName: "Bob")
        let robot = await emulator.addUser(username: "robot", bot: true)
        let role = try #require(await emulator.managedRole(in: world.guild))
        let otherRole = await emulator.addRole(in: world.guild, name: "miners")
        let mention = try await emulator.inject("hey <@!\(bot.id)> ask <@\(bob.id)> and <@&\(otherRole)> in <#\(world.channel.id)>",
                                                from: world.alice, in: world.channel)
        let roleMention = try await emulator.inject("<@&\(role)> status?", from: world.alice, in: world.channel)
        // The bot's own earlier message, and a reply to it without a ping.
        let own = try await emulator.inject("I am the bot", from: bot, in: world.channel)
        let reply = try await emulator.inject("and then?", from: world.alice, in: world.channel, replyTo: own,
                                              pingReplied: false)
        let fromBot = try await emulator.inject("<@\(bot.id)> beep", from: robot, in: world.channel)
        let webhook = try await emulator.inject("<@\(bot.id)> hook", from: bob, in: world.channel, webhook: true)
        _ = try await emulator.inject("<@\(bot.id)> joined", from: bob, in: world.channel, type: 7)
        _ = try await emulator.inject("just chatting", from: bob, in: world.channel)
        let messages = try await DiscordTest.poll(world.adapter, cursors: &world.cursors)
        let byID = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0) })
        #expect(Set(byID.keys) == [mention.id, roleMention.id, reply.id, fromBot.id, webhook.id])
        // Role names are refreshed with discovery (once a minute): a role created since reads as "@role".
        #expect(byID[mention.id]?.text == "hey ask @Bob and @role in #general")
        #expect(byID[roleMention.id]?.addressedAs == .roleMention)
        #expect(byID[roleMention.id]?.text == "status?")
        #expect(byID[reply.id]?.addressedAs == .reply)
        #expect(byID[reply.id]?.replyTo?.id == own.id)
        #expect(byID[reply.id]?.replyTo?.author?.id == bot.id)
        #expect(byID[fromBot.id]?.author.isBot == true)
        #expect(byID[webhook.id]?.author.isBot == true)
        let ids = messages.map { UInt64($0.id) ?? 0 }
        #expect(ids == ids.sorted())
    }

    @Test func moreThanOnePageOfNewMessages() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        await world.emulator.setRates({ var rates = DiscordEmulator.Rates(); rates.readMessages = .init(limit: 50, per: .seconds(1)); return rates }())
        var expected: [String] = []
        for index in 0..<250 {
            let text = index % 25 == 0 ? "<@\(world.emulator.bot.id)> q\(index)" : "noise \(index)"
            let message = try await world.emulator.inject(text, from: world.alice, in: world.channel)
            if index % 25 == 0 { expected.append(message.id) }
        }
        let messages = try await DiscordTest.poll(world.adapter, cursors: &world.cursors)
        #expect(messages.map(\.id) == expected)
        #expect(messages.map(\.text) == stride(from: 0, to: 250, by: 25).map { "q\($0)" })
        let pages = await world.emulator.recorder.requests(path: "/channels/\(world.channel.id)/messages")
        #expect(pages.count == 3)
        #expect(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).isEmpty)
    }

    @Test func replyCarriesReferenceNoMentionsAndANonceThatMakesResendsSafe() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        let mention = try await world.emulator.inject("<@\(world.emulator.bot.id)> hi", from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        let text = "@everyone @here <@&123> <@\(world.alice.id)> hello"
        let first = try await world.adapter.post(text, replyingTo: inbound, part: 0, idempotencyKey: "k")
        let again = try await world.adapter.post(text, replyingTo: inbound, part: 0, idempotencyKey: "k")
        #expect(first == again)
        let second = try await world.adapter.post("part two", replyingTo: inbound, part: 1, idempotencyKey: "k1")
        #expect(second != first)
        let sent = await world.emulator.sent
        #expect(sent.count == 2)
        #expect(await world.emulator.dedupedResends == 1)
        let reply = try #require(sent.first)
        #expect(reply.replyTo == mention.id)
        #expect(reply.failIfNotExists == false)
        #expect(reply.allowedParse == [])
        #expect(reply.repliedUser == true)
        #expect(reply.enforceNonce)
        #expect(reply.nonce == DiscordAdapter.nonce(for: mention.id, part: 0))
        #expect((reply.nonce ?? "").count <= 25)
        #expect(reply.contentPings.isEmpty)
        let request = try #require(await world.emulator.recorder.requests(path: "/messages").last { $0.method == "POST" })
        #expect(request.headers["user-agent"]?.hasPrefix("DiscordBot (") == true)
        try await world.adapter.indicateTyping(for: inbound)
        #expect(await world.emulator.typing[world.channel.id] == 1)
    }

    @Test func contextFollowsTheReferenceChain() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        let bot = world.emulator.bot
        let root = try await world.emulator.inject("<@\(bot.id)> root", from: world.alice, in: world.channel)
        let answer = try await world.emulator.inject("answer", from: bot, in: world.channel, replyTo: root)
        let follow = try await world.emulator.inject("more <@\(bot.id)>", from: world.alice, in: world.channel,
                                                     replyTo: answer)
        let messages = try await DiscordTest.poll(world.adapter, cursors: &world.cursors)
        let inbound = try #require(messages.first { $0.id == follow.id })
        let context = try await world.adapter.context(of: inbound, depth: 4)
        #expect(context.map(\.id) == [root.id, answer.id])
        #expect(context.map(\.text) == ["root", "answer"])
        #expect(try await world.adapter.context(of: inbound, depth: 1).map(\.id) == [answer.id])
    }

    @Test func unauthorizedStopsAtOnce() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let adapter = DiscordTest.adapter(emulator, token: "wrong-token-value")
        await #expect(throws: BotError.self) { try await adapter.identity() }
        do {
            _ = try await adapter.identity()
        } catch let error as BotError {
            #expect(error.code == .platformStopped)
            #expect(error.description.contains("401"))
            #expect(!error.description.contains("wrong-token-value"))
        }
        #expect(await emulator.recorder.requests.count == 1, "no request after a 401")
        #expect(await adapter.invalidRequests.total == 1)
    }

    @Test func malformedPagesAndServerErrorsAreSurvived() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        let bot = world.emulator.bot
        let mention = try await world.emulator.inject("<@\(bot.id)> one", from: world.alice, in: world.channel)
        await world.emulator.faults.enqueue(.malformedJSON, route: "/channels/\(world.channel.id)/messages")
        let page = try await world.adapter.poll(cursors: world.cursors)
        #expect(page.messages.isEmpty)
        #expect(page.rejected.count == 1)
        #expect(page.cursorUpdates[DiscordAdapter.cursorScope(world.channel.id)] == nil, "cursor kept")
        await world.emulator.faults.enqueue(.status(502), route: "/channels/\(world.channel.id)/messages", times: 2)
        #expect(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).map(\.id) == [mention.id])
    }

    @Test func rateLimitsAreHonouredWithoutViolations() async throws {
        var world = try await DiscordTest.world()
        defer { stop(world.emulator) }
        _ = try await world.emulator.inject("<@\(world.emulator.bot.id)> hi", from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        await world.emulator.faults.enqueue(.rateLimited(retryAfterSeconds: 0.5), route: "messages")
        let clock = ContinuousClock()
        let started = clock.now
        let adapter = world.adapter
        try await withThrowingTaskGroup(of: String.self) { group in
            for part in 0..<12 {
                group.addTask { try await adapter.post("part \(part)", replyingTo: inbound, part: part,
                                                             idempotencyKey: "\(part)") }
            }
            for try await _ in group {}
        }
        #expect(await world.emulator.sent.count == 12)
        #expect(await world.emulator.violations == DiscordEmulator.Violations())
        // 12 posts into one 5-per-5-s bucket need at least two resets.
        #expect(clock.now - started >= .seconds(5))
    }

    @Test func channelsWithoutPermissionsAreNotPolledAndCheckWarns() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let open = await emulator.addChannel(in: guild, name: "general")
        let hidden = await emulator.addChannel(in: guild, name: "staff")
        await emulator.denyBot(1 << 10, in: hidden)
        let mute = await emulator.addChannel(in: guild, name: "rules")
        await emulator.denyBot(1 << 11, in: mute)
        let thread = await emulator.addThread(in: open, name: "a thread")
        let alice = await emulator.addUser(username: "alice")
        let adapter = DiscordTest.adapter(emulator)
        var cursors: [String: String] = [:]
        _ = try await DiscordTest.poll(adapter, cursors: &cursors)
        #expect(cursors[DiscordAdapter.cursorScope(hidden.id)] == nil)
        #expect(cursors[DiscordAdapter.cursorScope(thread.id)] != nil)
        let inThread = try await emulator.inject("<@\(emulator.bot.id)> thread q", from: alice, in: thread)
        let messages = try await DiscordTest.poll(adapter, cursors: &cursors)
        #expect(messages.map(\.id) == [inThread.id])
        #expect(messages.first?.chat.kind == .thread)
        #expect(await emulator.recorder.requests.filter { $0.status == 403 }.isEmpty)
        let report = try await adapter.verify()
        #expect(report.guilds.count == 1)
        #expect(report.channels.first { $0.id == open.id }?.writable == true)
        #expect(report.channels.first { $0.id == hidden.id }?.readable == false)
        #expect(report.warnings.contains { $0.contains("staff") && $0.contains("VIEW_CHANNEL") })
        #expect(report.warnings.contains { $0.contains("rules") && $0.contains("SEND_MESSAGES") })
        #expect(!report.warnings.contains { $0.contains("general") })
    }

    @Test func pollingBudgetSpreadsRequests() async throws {
        let budget = DiscordPollingBudget.estimate(guilds: 1, channels: 50, interval: .seconds(5),
                                                   requestsPerSecond: 2, discoveryEvery: .seconds(60))
        #expect(budget.requestsPerRound == 2)
        #expect(budget.roundInterval == .seconds(5))
        #expect(budget.worstCaseWait == .milliseconds(6500))
        let many = DiscordPollingBudget.estimate(guilds: 25, channels: 50, interval: .seconds(5),
                                                 requestsPerSecond: 2, discoveryEvery: .seconds(60))
        #expect(many.roundInterval == .seconds(25))
        #expect(many.idleRequestsPerMinute <= 2 * 60 + 60)
    }
}

/// The invalid-request counter holds requests long before Discord's ban threshold.
@Suite("Discord invalid requests")
struct DiscordInvalidRequestTests {
    @Test func requestsAreHeldPastTheHardLimit() async throws {
        var world = try await DiscordTest.world()
        let emulator = world.emulator
        defer { Task { await emulator.stop() } }
        _ = try await emulator.inject("<@\(emulator.bot.id)> hi", from: world.alice, in: world.channel)
        let inbound = try #require(try await DiscordTest.poll(world.adapter, cursors: &world.cursors).first)
        var configuration = DiscordTest.configuration(emulator)
        configuration.invalidRequestSoftLimit = 2
        configuration.invalidRequestHardLimit = 3
        let adapter = DiscordAdapter(configuration: configuration, environment: DiscordTest.environment())
        await emulator.faults.enqueue(.status(403), route: "messages", times: 3)
        for part in 0..<3 {
            await #expect(throws: BotError.self) {
                try await adapter.post("x", replyingTo: inbound, part: part, idempotencyKey: "\(part)")
            }
        }
        #expect(await adapter.invalidRequests.lastTenMinutes == 3)
        let before = await emulator.recorder.requests.count
        let held = Task { try await adapter.post("y", replyingTo: inbound, part: 9, idempotencyKey: "9") }
        try await Task.sleep(for: .seconds(1))
        #expect(await emulator.recorder.requests.count == before, "a request left past the hard limit")
        held.cancel()
        _ = await held.result
    }
}
