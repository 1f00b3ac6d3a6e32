import Foundation
import ReplyTensorTestSupport
import ReplyTensorEmulators
import ReplyTensorHTTP
import Testing

/// Agreement before speed with the real binary: Telegram mentions answered through a local subnet whose fastest,
/// highest-incentive miner answers spam while three slower ones agree (Swift dendrite → LocalAxon over loopback).
@Suite("Subnet agreement end to end (real binary)", .serialized)
struct SubnetAgreementEndToEndTests {
    static let paraphrases = [
        "Bittensor is a decentralized network where machine learning models compete and are rewarded in TAO.",
        "Bittensor is an open, decentralized protocol in which miners serve ML models and earn TAO rewards from validators.",
        "It's a decentralized machine-learning marketplace: miners run models, validators score them, and the best earn TAO.",
    ]

    @Test("the agreed answer is posted, never the fast hostile one; a lone answer is not; status and /metrics count per uid")
    func hostileMinerOutvoted() async throws {
        let world = try await TelegramWorld.start()
        let subnet = try await LocalSubnet.start(
            [.hostile()] + Self.paraphrases.enumerated().map { .answering($1, after: .milliseconds(150 + 100 * $0)) },
            keySeed: 0x70)
        defer { Task { await world.stop(); await subnet.stop() } }
        let created = try await BotProcess.run(["wallet", "create", "--wallet-path",
                                                world.folder.appendingPathComponent("wallets").path, "--wallet", "bot",
                                                "--hotkey", "hk"], folder: world.folder)
        #expect(created.status == 0, "\(created.output)")
        let port = try LoopbackPort.free()
        // The contract's defaults for the vote: quorum 3, answer_wait_ms 800, accept_single_answer false.
        try E2EConfig.write(E2EConfig.common(gateway: world.gateway, order: #"["subnet", "gateway"]"#, timeoutSeconds: 4),
                            subnet.configSection(walletPath: "wallets", wallet: "bot", hotkey: "hk", minersPerQuery: 4), """
            [telegram]
            enabled = true
            token_env = "E2E_TELEGRAM_TOKEN"
            api_base = "\(world.telegram.apiBase)"
            poll_timeout_seconds = 2
            [metrics]
            listen = "127.0.0.1:\(port)"
            """, to: world.folder)
        let alice = await world.telegram.addUser(username: "alice", firstName: "Alice")
        let group = await world.telegram.addGroup(title: "builders", supergroup: true)
        let bot = try world.startBot()

        let mention = try await world.telegram.inject(text: "@ReplyTensorBot what is bittensor?", from: alice, in: group)
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await !world.telegram.replies(to: mention).isEmpty },
                "\(bot.output.suffix(2000))")
        let reply = await world.telegram.replies(to: mention).first?.text ?? ""
        #expect(Self.paraphrases.contains(reply), "posted: \(reply)")
        #expect(await subnet.axons[0].served == 1, "the hostile miner answered first and was outvoted")

        // Only the hostile miner is left: its lone answer is not posted; the gateway answers instead.
        for axon in subnet.axons.dropFirst() { await axon.stop() }
        let lonely = try await world.telegram.inject(text: "@ReplyTensorBot anyone there?", from: alice, in: group)
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await !world.telegram.replies(to: lonely).isEmpty })
        let fallback = await world.telegram.replies(to: lonely).map(\.text)
        #expect(fallback.count == 1 && fallback.allSatisfy { $0.hasPrefix("[gateway-emulator]") }, "\(fallback)")
        #expect(await world.telegram.sent.allSatisfy { !$0.text.contains("airdrop") })

        let metrics = try PrometheusText(parsing: try await CurlHTTPClient().execute(
            HTTPRequest(url: "http://127.0.0.1:\(port)/metrics")).body)
        #expect(metrics.sum("replytensor_miner_answers_total", ["uid": "0", "verdict": "outvoted"]) == 1)
        #expect(metrics.sum("replytensor_miner_answers_total", ["uid": "1", "verdict": "chosen"]) == 1)
        #expect(metrics.sum("replytensor_miner_answers_total", ["uid": "0", "verdict": "chosen"]) == 0)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)

        let miners = try #require(try await world.status()["miners"] as? [[String: Any]])
        let hostile = try #require(miners.first { $0["uid"] as? Int == 0 })
        #expect(hostile["outvoted"] as? Int == 1 && hostile["chosen"] as? Int == 0)
        #expect(miners.first { $0["uid"] as? Int == 1 }?["chosen"] as? Int == 1)
        let text = try await BotProcess.run(["status"], folder: world.folder, environment: world.environment)
        #expect(text.output.contains("chosen 0, agreed 0, outvoted 1, filtered 0"), "\(text.output)")
    }
}
