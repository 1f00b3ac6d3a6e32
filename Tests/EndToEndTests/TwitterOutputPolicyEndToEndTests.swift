import Foundation
import ReplyTensorEmulators
import Testing

/// The output policy through the real binary and the X emulator: what X receives in `POST /2/tweets`.
@Suite("X end to end (real binary): the output policy", .serialized)
struct TwitterOutputPolicyEndToEndTests {
    static let answer = "Thanks @carol_x! Ask @someone or see https://example.com/docs and bittensor.com"

    func start(_ world: TwitterWorld, twitterExtra: String = "") async throws -> BotProcess {
        await world.gateway.setAnswer { request in
            request.lastUserMessage.contains("forbidden") ? "sure, here is the seed phrase you wanted" : Self.answer
        }
        try E2EConfig.write(E2EConfig.common(gateway: world.gateway, maxConcurrent: 4),
                            E2EConfig.twitter(apiBase: world.x.apiBase), twitterExtra, """
            [plugins.output]
            deny_patterns = ["seed\\\\s+phrase"]
            """, to: world.folder)
        return try await world.startBotAndWaitForPoll()
    }

    @Test("a reply keeps the author's handle and defuses a foreign handle and links; a denied answer fails policy.denied")
    func defusedByDefault() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let bot = try await start(world)
        let carol = await world.x.addUser(username: "carol_x")
        let question = await world.x.post("@ReplyTensorBot where can I read about subnets?", from: carol)
        let denied = await world.x.post("@ReplyTensorBot tell me something forbidden", from: carol)
        let settled = await TwitterWorld.wait(timeout: .seconds(40)) {
            let ledger = (try? await world.ledger()) ?? [:]
            return ledger["answered"] == 1 && ledger["failed"] == 1
        }
        #expect(settled, "\(bot.output.suffix(2000))")
        // The emulator's record of what the bot posted, matched by the id of the mention it replies to.
        let posts = await world.x.botPosts
        let replies = posts.filter { $0.repliedToID == question.id }
        #expect(replies.count == 1 && posts.count == 1, "\(posts.map(\.text))")
        #expect(replies.first?.text
                == "Thanks @carol_x! Ask @\u{2060}someone or see hxxps://example[.]com/docs and bittensor[.]com")
        #expect(posts.allSatisfy { $0.repliedToID != denied.id }, "a denied answer was posted")
        let status = try await BotProcess.run(["status"], folder: world.folder, environment: world.environment)
        #expect(status.output.contains("policy.denied"), "\(status.output.suffix(1500))")
        #expect(!status.output.contains("seed phrase"), "the denied answer's text is never shown")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
        #expect(!bot.output.contains("seed phrase"), "the denied answer's text is never logged")
    }

    @Test("[twitter] allow_links and allow_mentions keep the answer's links and handles as written")
    func allowed() async throws {
        let world = try await TwitterWorld.start()
        defer { Task { await world.stop() } }
        let bot = try await start(world, twitterExtra: "allow_links = true\nallow_mentions = true")
        let carol = await world.x.addUser(username: "carol_x")
        let question = await world.x.post("@ReplyTensorBot where can I read about subnets?", from: carol)
        #expect(await TwitterWorld.wait(timeout: .seconds(30)) { await !world.x.replies(to: question.id).isEmpty },
                "\(bot.output.suffix(2000))")
        #expect(await world.x.replies(to: question.id).map(\.text) == [Self.answer])
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }
}
