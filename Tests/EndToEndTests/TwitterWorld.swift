import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// An X emulator and a gateway emulator in the test process, and configurations for the real binary.
struct TwitterWorld {
    let x: TwitterEmulator
    let gateway: GatewayEmulator
    let folder: URL
    let refreshSeed: String

    static func start() async throws -> TwitterWorld {
        let x = try await TwitterEmulator.start()
        await x.setRateLimit(.mentions, limit: 30, windowSeconds: 15)
        await x.setRateLimit(.usersMe, limit: 100, windowSeconds: 15)
        return TwitterWorld(x: x, gateway: try await GatewayEmulator.start(), folder: try BotProcess.makeFolder(),
                            refreshSeed: await x.issueRefreshToken())
    }

    func stop() async {
        await x.stop()
        await gateway.stop()
    }

    var environment: [String: String] {
        ["E2E_X_CONSUMER_KEY": x.consumerKey, "E2E_X_CONSUMER_SECRET": x.consumerSecret,
         "E2E_X_ACCESS_TOKEN": x.accessToken, "E2E_X_ACCESS_SECRET": x.accessTokenSecret,
         "E2E_X_CLIENT_ID": x.clientID, "E2E_X_CLIENT_SECRET": x.clientSecret, "E2E_X_REFRESH": refreshSeed,
         "E2E_GATEWAY_KEY": gateway.apiKey]
    }

    func writeConfig(auth: String = "oauth1", budget: Int = 0, thread: Bool = false, reconcile: Bool = false,
                     logLevel: String = "info") throws {
        try E2EConfig.write(E2EConfig.common(gateway: gateway, maxConcurrent: 4),
                            E2EConfig.twitter(apiBase: x.apiBase, auth: auth), """
            daily_post_budget = \(budget)
            thread_replies = \(thread)
            reconcile_posting = \(reconcile)
            [log]
            level = "\(logLevel)"
            """, to: folder)
    }

    func startBot() throws -> BotProcess { try BotProcess(["run"], folder: folder, environment: environment) }

    /// Starts the bot and waits for its first mentions poll (the first run starts from "now").
    func startBotAndWaitForPoll() async throws -> BotProcess {
        let before = await x.recorder.requests(path: "/mentions").count
        let bot = try startBot()
        let polled = await Self.wait(timeout: .seconds(30)) { await x.recorder.requests(path: "/mentions").count > before }
        #expect(polled, "the bot never polled:\n\(bot.output.suffix(1500))")
        return bot
    }

    /// `count` mentions from a few users.
    func mentions(_ count: Int, prefix: String = "question") async -> [TwitterEmulator.Tweet] {
        var users: [TwitterEmulator.User] = []
        for index in 0..<5 { users.append(await x.addUser(username: "\(prefix)user\(index)")) }
        var tweets: [TwitterEmulator.Tweet] = []
        for index in 0..<count {
            tweets.append(await x.post("@ReplyTensorBot \(prefix) number \(index)?", from: users[index % users.count]))
        }
        return tweets
    }

    func replyCounts(_ tweets: [TwitterEmulator.Tweet]) async -> [Int] {
        let posts = await x.botPosts
        var counts: [String: Int] = [:]
        for post in posts { counts[post.repliedToID ?? "-", default: 0] += 1 }
        return tweets.map { counts[$0.id] ?? 0 }
    }

    func ledger() async throws -> [String: Int] {
        let result = try await BotProcess.run(["status", "--json"], folder: folder, environment: environment)
        #expect(result.status == 0)
        let json = (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]) ?? [:]
        return (json["mentions"] as? [String: [String: Int]])?["twitter"] ?? [:]
    }

    static func wait(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(50), condition)
    }
}
