import Foundation
import ReplyTensorEmulators

/// `sandbox --interactive`: each stdin line `telegram: …`, `discord: …` or `x: …` is posted on that platform by a
/// sandbox user and the bot's answer is shown. EOF or `quit` ends the session.
public struct InteractiveSession {
    public init() {}

    public func play(in world: SandboxWorld) async throws -> SandboxSummary {
        var summary = SandboxSummary(scenario: "interactive")
        let say = world.transcript.say
        let tgUser = await world.telegram.addUser(username: "you", firstName: "You")
        let tgGroup = await world.telegram.addGroup(title: "Sandbox", supergroup: true)
        let dcUser = await world.discord.addUser(username: "you", globalName: "You")
        let xUser = await world.twitter.addUser(username: "you_x", name: "You")
        _ = await BurstScenario.waitUntilWatchingQuietly(world)
        say("""

            Type a message as a user, prefixed by the platform, e.g.
              telegram: @ReplyTensorBot hello
              discord: @ReplyTensorBot what is a subnet?      (@ReplyTensorBot becomes a real Discord mention)
              x: @ReplyTensorBot what does a validator do?
            `quit` or end of input (Ctrl-D) ends the session.
            """)
        var asked = 0
        var answered = 0
        while let line = await StandardInputLines.next() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed == "quit" || trimmed == "exit" { break }
            guard let colon = trimmed.firstIndex(of: ":") else {
                say("  (start the line with telegram:, discord: or x:)")
                continue
            }
            let platform = trimmed[..<colon].lowercased()
            let text = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            asked += 1
            let replied: Bool
            switch platform {
            case "telegram", "tg":
                let message = try await world.telegram.inject(text: text, from: tgUser, in: tgGroup)
                replied = await world.wait(timeout: .seconds(8)) { await !world.telegram.replies(to: message).isEmpty }
            case "discord", "dc":
                let content = text.replacingOccurrences(of: "@ReplyTensorBot", with: "<@\(world.discord.bot.id)>")
                let message = try await world.discord.inject(content, from: dcUser, in: world.discordChannel)
                replied = await world.wait(timeout: .seconds(8)) { await !world.discord.replies(to: message).isEmpty }
            case "x", "twitter":
                let tweet = await world.twitter.post(text, from: xUser)
                replied = await world.wait(timeout: .seconds(20)) { await !world.twitter.replies(to: tweet.id).isEmpty }
            default:
                say("  (unknown platform \"\(platform)\": use telegram, discord or x)")
                asked -= 1
                continue
            }
            if replied { answered += 1 } else { say("  (no reply: see the line above for the reason, if any)") }
        }
        say("  session ended: \(asked) message(s), \(answered) answered")
        summary.expect("the session ran", true, "\(asked) message(s), \(answered) answered")
        return summary
    }
}

/// Lines from standard input, read on a dedicated thread so that no concurrency thread blocks.
public enum StandardInputLines {
    static func next() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: readLine(strippingNewline: true)) }
        }
    }
}
