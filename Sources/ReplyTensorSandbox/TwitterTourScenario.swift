import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import TwitterPlatform

/// The X part of the tour: mentions answered once in reply to the right post, a conversation continued, a long
/// answer fitted to 280 weighted characters, another account's handle and a link in an answer defused, an answer
/// with two cashtags and a stranger's handle posted with the second cashtag and the handle defused, a post
/// without a mention left alone.
public struct TwitterTourScenario {
    /// The miners' answer to "compare TAO and ETH": two cashtags (X takes one per post) and a stranger's handle.
    static let cashtagAnswer = "$TAO vs $ETH: TAO pays for machine intelligence, ETH for blockspace. Ask @someone "
        + "for the charts."

    func play(in world: SandboxWorld, summary: inout SandboxSummary) async throws {
        let x = world.twitter
        world.answers.addOverride { $0.lowercased().contains("compare tao and eth") ? Self.cashtagAnswer : nil }
        // The bot's first run starts from "now": wait for its first mentions poll.
        let polled = await world.wait(timeout: .seconds(20)) { await !x.recorder.requests(path: "/mentions").isEmpty }
        summary.expect("X: the bot polls its mentions", polled)
        let alice = await x.addUser(username: "alice_x", name: "Alice")
        let bob = await x.addUser(username: "bob_x", name: "Bob")
        var answered: [(String, TwitterEmulator.Tweet)] = []

        await world.transcript.section("X: a post that mentions the bot")
        let question = await x.post("@ReplyTensorBot what does a validator do?", from: alice)
        answered.append(("X: a mention is answered", question))
        _ = await world.wait(timeout: .seconds(20)) { await !x.replies(to: question.id).isEmpty }

        await world.transcript.section("X: a reply to the bot that mentions it again continues the conversation")
        if let reply = await x.replies(to: question.id).first {
            let followUp = await x.post("@alice_x @ReplyTensorBot and who pays the miners?", from: alice, replyTo: reply.id)
            answered.append(("X: a follow-up in the conversation is answered", followUp))
            _ = await world.wait(timeout: .seconds(20)) { await !x.replies(to: followUp.id).isEmpty }
            let sawContext = world.answers.prompt(asking: "who pays the miners?").contains { $0.contains("validator") }
            summary.expect("X: the follow-up carried the earlier conversation to the responder", sawContext)
        } else {
            summary.expect("X: a follow-up in the conversation is answered", false, "the first mention got no reply")
        }

        await world.transcript.section("X: a long answer is fitted to 280 weighted characters")
        let long = await x.post("@ReplyTensorBot write an essay on subnets", from: bob)
        answered.append(("X: a request for a long answer is answered", long))
        _ = await world.wait(timeout: .seconds(20)) { await !x.replies(to: long.id).isEmpty }
        let fitted = await x.replies(to: long.id).first?.text ?? ""
        summary.expect("X: the long answer fits 280 weighted characters, cut at a word with an ellipsis",
                       WeightedLength.measure(fitted) <= 280 && fitted.hasSuffix("…"),
                       "weighted \(WeightedLength.measure(fitted))")

        await world.transcript.section("X: an answer naming other accounts and a link is defused; the asker's handle stays")
        let carol = await x.addUser(username: "carol_x", name: "Carol")
        world.answers.addOverride { question in
            question.contains("who should I follow") ? "Thanks @carol_x! Follow @someone and read https://example.com/subnets" : nil
        }
        let follow = await x.post("@ReplyTensorBot who should I follow about subnets?", from: carol)
        answered.append(("X: a question whose answer names other accounts is answered", follow))
        _ = await world.wait(timeout: .seconds(20)) { await !x.replies(to: follow.id).isEmpty }
        let defused = await x.replies(to: follow.id).first?.text ?? ""
        summary.expect("X: a foreign @handle and a link in the posted answer are defused, the asker's @handle stays",
                       defused.contains("Thanks @carol_x!") && defused.contains("Follow @\u{2060}someone")
                           && defused.contains("hxxps://example[.]com/subnets") && !defused.contains("https://"),
                       defused.debugDescription)

        await world.transcript.section("X: an answer with two cashtags goes out with the second defused")
        let compare = await x.post("@ReplyTensorBot compare TAO and ETH", from: bob)
        answered.append(("X: a question answered with two cashtags is answered", compare))
        _ = await world.wait(timeout: .seconds(20)) { await !x.replies(to: compare.id).isEmpty }
        let withCashtags = await x.replies(to: compare.id).first?.text ?? ""
        summary.expect("X: the first cashtag is kept and the second defused (X takes one per post), the stranger's "
                       + "@handle defused",
                       withCashtags.contains("$TAO vs $\u{200D}ETH") && Cashtags.ranges(in: withCashtags).count == 1
                           && withCashtags.contains("Ask @\u{2060}someone"),
                       withCashtags.debugDescription)

        await world.transcript.section("X: a post that does not mention the bot")
        let noise = await x.post("ReplyTensor answers on X now, neat", from: bob)
        try await Task.sleep(for: .milliseconds(2500))

        for (description, tweet) in answered {
            let count = await x.replies(to: tweet.id).count
            summary.expect(description + " exactly once, in reply to it", count == 1, "\(count) replies")
            summary.duplicates += max(0, count - 1)
            if count == 0 { summary.lost += 1 }
        }
        summary.expect("X: a post without a mention is left alone", await x.replies(to: noise.id).isEmpty)
        summary.replies += await x.botPosts.count
        let violations = await x.violations
        summary.expect("X: no reply refused, no window overrun, no bad signature", violations.total == 0,
                       "\(violations)")
    }
}

extension TwitterEmulator.Violations {
    /// Everything a well-behaved bot never causes.
    var total: Int {
        requestsWhileExhausted + refreshTokenReuse + replyNotAllowed + unauthorized + duplicates + tooManyCashtags
    }
}
