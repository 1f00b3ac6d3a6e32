import Foundation
import ReplyTensorCore
import ReplyTensorEmulators

/// The default scenario: a short, readable tour of what the bot answers and what it leaves alone.
public struct TourScenario {
    func play(in world: SandboxWorld) async throws -> SandboxSummary {
        let telegram = world.telegram
        var summary = SandboxSummary(scenario: "tour")
        let essay = String(repeating: "Subnets are markets where miners compete and validators score them. ", count: 12)
        world.answers.setOverride { question in
            let lowered = question.lowercased()
            if lowered.contains("announce") { return "@everyone @here big news from <@&1234>!" }
            if lowered.contains("essay") { return essay }
            return nil
        }
        world.transcript.plan(sections: 23)
        let alice = await telegram.addUser(username: "alice", firstName: "Alice")
        let bob = await telegram.addUser(username: "bob", firstName: "Bob")
        let spammer = await telegram.addUser(username: "spammer", firstName: "Spam")
        let otherBot = await telegram.addUser(username: "echo_other_bot", firstName: "Other", isBot: true)
        let group = await telegram.addGroup(title: "Bittensor builders", supergroup: true)
        var answered: [(String, TelegramEmulator.Message)] = []
        var silent: [(String, TelegramEmulator.Message)] = []

        await world.transcript.section("Telegram: a question in a private chat")
        let privateQuestion = try await telegram.inject(text: "What is Bittensor's prompting subnet?", from: alice)
        answered.append(("a private message is answered", privateQuestion))
        _ = await world.wait { await !telegram.replies(to: privateQuestion).isEmpty }

        await world.transcript.section("Telegram: a mention in a group")
        let mention = try await telegram.inject(text: "@ReplyTensorBot how are miners scored?", from: bob, in: group)
        answered.append(("a group mention is answered", mention))
        _ = await world.wait { await !telegram.replies(to: mention).isEmpty }

        await world.transcript.section("Telegram: a reply to the bot continues the conversation")
        if let botReply = await telegram.replies(to: mention).first {
            let followUp = try await telegram.inject(text: "And who pays them?", from: bob, in: group, replyTo: botReply.message)
            answered.append(("a reply to the bot is answered", followUp))
            _ = await world.wait { await !telegram.replies(to: followUp).isEmpty }
            let sawContext = world.answers.prompt(asking: "And who pays them?").contains { $0.contains("miners") }
            summary.expect("the reply carried the earlier conversation to the responder", sawContext)
        } else {
            summary.expect("a reply to the bot is answered", false, "the group mention got no reply to follow up on")
        }

        try await playUpdateIDReset(in: world, group: group, users: (alice, bob), answered: &answered,
                                    summary: &summary)

        if let mention = try await hostileMinerIsOutvoted(in: world, group: group, from: bob, summary: &summary) {
            answered.append(("the mention answered while the fastest miner spams", mention))
        }
        if let failover = try await goodMinerFailsOver(in: world, group: group, from: alice, summary: &summary) {
            answered.append(("a mention is answered while the top good miner fails", failover))
        }

        await world.transcript.section("Telegram: a command answered locally, without the responder")
        let help = try await telegram.inject(text: "/help@ReplyTensorBot", from: alice, in: group)
        answered.append(("/help is answered", help))
        _ = await world.wait { await !telegram.replies(to: help).isEmpty }
        summary.expect("/help never reached the responder", !world.answers.wasAsked { $0.contains("/help") })

        await world.transcript.section("Telegram: a model answer that tries to ping everyone")
        let announce = try await telegram.inject(text: "@ReplyTensorBot announce the release", from: alice, in: group)
        answered.append(("the announcement request is answered", announce))
        _ = await world.wait { await !telegram.replies(to: announce).isEmpty }
        let defused = await telegram.replies(to: announce).allSatisfy {
            !$0.text.contains("@everyone") && !$0.text.contains("@here") && !$0.text.contains("<@&")
        }
        summary.expect("@everyone, @here and role pings from the model are defused", defused)

        await world.transcript.section("Telegram: chatter, someone else's mention, a blocked user, a bot trying to start a loop")
        silent.append(("chatter not addressed to the bot is ignored",
                       try await telegram.inject(text: "nice weather for validating today", from: bob, in: group)))
        silent.append(("a mention of someone else is ignored",
                       try await telegram.inject(text: "@alice did you see this?", from: bob, in: group)))
        silent.append(("a blocked user is not answered",
                       try await telegram.inject(text: "@ReplyTensorBot buy my token", from: spammer, in: group)))
        silent.append(("another bot cannot start a loop",
                       try await telegram.inject(text: "@ReplyTensorBot let's talk forever", from: otherBot, in: group)))

        try await tally(answered: answered, silent: silent, in: world, summary: &summary)
        try await DiscordTourScenario().play(in: world, summary: &summary)
        try await DiscordGatewayTourScenario().play(in: world, summary: &summary)
        return summary
    }

    /// Counts every Telegram reply by the id of the message it answers: once for each answered one, never for the
    /// silent ones; no rate rule broken.
    private func tally(answered: [(String, TelegramEmulator.Message)], silent: [(String, TelegramEmulator.Message)],
                       in world: SandboxWorld, summary: inout SandboxSummary) async throws {
        let telegram = world.telegram
        // Let stragglers arrive: an unexpected reply would show up now.
        try await Task.sleep(for: .milliseconds(1500))
        for (description, message) in answered {
            let count = await telegram.replies(to: message).count
            summary.expect(description + " exactly once", count == 1, "\(count) replies")
        }
        for (description, message) in silent {
            let count = await telegram.replies(to: message).count
            summary.expect(description, count == 0, count == 0 ? "" : "\(count) replies")
        }
        let sent = await telegram.sent
        summary.replies = sent.count
        summary.duplicates = 0
        for (_, message) in answered {
            let count = sent.filter { $0.chatID == message.chat.id && $0.replyToMessageID == message.messageId }.count
            summary.duplicates += max(0, count - 1)
            if count == 0 { summary.lost += 1 }
        }
        let violations = await telegram.violations.total
        summary.expect("no Telegram rate rule was broken", violations == 0, "\(violations) violations")
    }

    /// Telegram forgets the bot's update queue (a week without updates, or a move to another Bot API server) and
    /// picks new, lower `update_id`s; the bot's stored offset is then "in the future" and answered from the head of
    /// the queue. The bot follows the ids it receives: two mentions later, a handful of `getUpdates`, not a loop.
    private func playUpdateIDReset(in world: SandboxWorld, group: TelegramEmulator.Chat,
                                   users: (TelegramEmulator.User, TelegramEmulator.User),
                                   answered: inout [(String, TelegramEmulator.Message)],
                                   summary: inout SandboxSummary) async throws {
        let telegram = world.telegram
        await world.transcript.section("Telegram: new update ids after a quiet week; the bot follows them, no hot loop")
        let pollsBefore = await telegram.recorder.requests(path: "getUpdates").count
        await telegram.resetUpdateIDs()
        let first = try await telegram.inject(text: "@ReplyTensorBot are you still there?", from: users.0, in: group)
        answered.append(("the first mention after the update-id reset is answered", first))
        _ = await world.wait { await !telegram.replies(to: first).isEmpty }
        let second = try await telegram.inject(text: "@ReplyTensorBot and the next one?", from: users.1, in: group)
        answered.append(("the next mention after the update-id reset is answered", second))
        _ = await world.wait { await !telegram.replies(to: second).isEmpty }
        let polls = await telegram.recorder.requests(path: "getUpdates").count - pollsBefore
        summary.expect("the update-id reset cost a handful of getUpdates calls, not a loop", polls <= 10,
                       "\(polls) getUpdates calls")
    }
}
