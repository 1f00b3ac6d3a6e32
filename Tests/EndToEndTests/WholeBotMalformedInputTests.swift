import Bittensor
import Foundation
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

/// The whole bot against a storm of malformed input from every platform and a hostile metagraph: the run completes,
/// nothing crashes, every bad input is counted and skipped, and the good mentions are still answered.
@Suite("Whole bot end to end (real binary): malformed-input storm", .serialized)
struct WholeBotMalformedInputTests {
    /// A text far beyond any platform's limit (Telegram 4096, Discord 2000/4000, X 25,000 for long posts).
    static let gigantic = String(repeating: "flood ", count: 40_000)

    @Test("invalid JSON, wrong types, gigantic messages, invalid UTF-8 and a hostile metagraph: counted, skipped, no crash")
    func malformedStorm() async throws {
        let world = try await WholeBotWorld.start()
        defer { Task { await world.stop() } }
        // Hostile metagraph: the loopback miners (private, refused), an axon with ip 0, absurd ports, a hotkey twice.
        let hotkey = world.axons[0].keypair.publicKey
        var neurons: [NeuronInfoLite] = world.axons.enumerated().map { index, axon in
            SubtensorEmulator.neuron(uid: UInt16(index), hotkey: axon.keypair.publicKey, port: axon.port)
        }
        neurons.append(SubtensorEmulator.neuron(uid: 10, hotkey: [UInt8](repeating: 0x71, count: 32), host: "0.0.0.0",
                                                port: 8091))
        neurons.append(SubtensorEmulator.neuron(uid: 11, hotkey: [UInt8](repeating: 0x72, count: 32), port: 0))
        neurons.append(SubtensorEmulator.neuron(uid: 12, hotkey: [UInt8](repeating: 0x73, count: 32), port: 65535))
        neurons.append(SubtensorEmulator.neuron(uid: 13, hotkey: hotkey, port: world.axons[0].port))
        await world.subtensor.setNeurons(neurons, netuid: 1)
        try world.writeConfig(allowPrivateAxons: false)
        let bot = try await world.startBotAndWaitUntilWatching()

        // Telegram: updates with wrong types, invalid UTF-8 (raw bytes and a lone surrogate), a gigantic message, and
        // a getUpdates answer that is not JSON at all.
        let telegram = world.telegram.telegram
        let alice = await telegram.addUser(username: "alice", firstName: "Alice")
        let group = await telegram.addGroup(title: "storm", supergroup: true)
        await telegram.faults.enqueue(.malformedJSON, route: "getUpdates")
        await telegram.injectRawUpdate { #"{"update_id":\#($0),"message":{"message_id":"x"}}"# }
        await telegram.injectRawUpdate {
            #"{"update_id":\#($0),"message":{"message_id":5,"date":"yesterday","chat":"nope","text":42}}"#
        }
        await telegram.injectRawUpdate { #"{"update_id":\#($0),"message":[1,2,3]}"# }
        await telegram.injectRawUpdate { #"{"update_id":"\#($0)"}"# }
        let badTelegramText = try await telegram.inject(text: "@ReplyTensorBot bytes \(InvalidUTF8.marker) here",
                                                        from: alice, in: group)
        _ = badTelegramText
        await telegram.injectRawUpdate { id in
            #"{"update_id":\#(id),"message":{"message_id":\#(id + 900000),"date":1700000000,"#
                + #""chat":{"id":-1009,"type":"supergroup","title":"s"},"from":{"id":77,"is_bot":false,"first_name":"Z"},"#
                + #""text":"@ReplyTensorBot lone \udc00 surrogate"}}"#
        }
        _ = try await telegram.inject(text: "@ReplyTensorBot " + Self.gigantic, from: alice, in: group)
        let goodTelegram = try await world.telegram.burst(chats: 5, perChat: 2)

        // Discord: messages with wrong types, a missing id, a lone surrogate, invalid UTF-8, a gigantic message,
        // and a message page that is not JSON.
        let discord = world.discord.discord
        let mallory = await discord.addUser(username: "mallory")
        let stormChannel = await discord.addChannel(in: world.discord.guild, name: "storm")
        let botMention = "<@\(discord.bot.id)>"
        try await discord.injectRaw(in: stormChannel, from: mallory) { id in
            #"{"id":"\#(id)","channel_id":"\#(stormChannel.id)","content":42,"author":"nobody","type":"zero"}"#
        }
        try await discord.injectRaw(in: stormChannel, from: mallory) { id in
            #"{"id":"\#(id)","channel_id":"\#(stormChannel.id)","content":"\#(botMention) lone \udc00","#
                + #""author":{"id":"9","username":"m"},"mentions":[{"id":"\#(discord.bot.id)","username":"b"}],"type":0}"#
        }
        try await discord.injectRaw(in: stormChannel, from: mallory) { _ in #"{"content":"no id at all"}"# }
        _ = try await discord.inject("\(botMention) " + Self.gigantic, from: mallory, in: stormChannel)
        let utf8Channel = await discord.addChannel(in: world.discord.guild, name: "bytes")
        _ = try await discord.inject("\(botMention) bytes \(InvalidUTF8.marker) here", from: mallory, in: utf8Channel)
        let brokenChannel = await discord.addChannel(in: world.discord.guild, name: "broken")
        await discord.faults.enqueue(.malformedJSON, route: "/channels/\(brokenChannel.id)/messages", times: 2)
        let afterBrokenPages = try await discord.inject("\(botMention) asked where the pages are broken", from: mallory,
                                                        in: brokenChannel)
        let (_, burst) = try await world.discord.burst(channels: 5, perChannel: 2)
        let goodDiscord = burst + [afterBrokenPages]

        // X: posts with wrong types, a lone surrogate, invalid UTF-8, a gigantic post, a mentions page that is not JSON.
        let x = world.twitter.x
        let eve = await x.addUser(username: "eve")
        await x.faults.enqueue(.malformedJSON, route: "/mentions")
        await x.postRaw(from: eve) { id in #"{"id":"\#(id)","text":42,"author_id":["x"],"edit_history_tweet_ids":[]}"# }
        await x.postRaw(from: eve) { id in
            #"{"id":"\#(id)","text":"@ReplyTensorBot lone \udc00","author_id":"\#(eve.id)","edit_history_tweet_ids":[]}"#
        }
        _ = await x.post("@ReplyTensorBot bytes \(InvalidUTF8.marker) here", from: eve)
        _ = await x.post("@ReplyTensorBot " + Self.gigantic, from: eve)
        let goodX = await world.twitter.mentions(10)

        // Every good mention is still answered (by the gateway: every miner on the metagraph is refused).
        let answered = await WholeBotWorld.wait(timeout: .seconds(120)) {
            let telegramDone = await world.telegram.replyCounts(goodTelegram).allSatisfy { $0 == 1 }
            let discordDone = await world.discord.replyCounts(goodDiscord).allSatisfy { $0 == 1 }
            let xDone = await world.twitter.replyCounts(goodX).allSatisfy { $0 == 1 }
            return telegramDone && discordDone && xDone
        }
        #expect(answered, "good mentions not all answered:\n\(bot.output.suffix(4000))")
        #expect(bot.process.isRunning, "the bot crashed:\n\(bot.output.suffix(4000))")

        let metrics = try PrometheusText(parsing: try await CurlHTTPClient().execute(
            HTTPRequest(url: "http://127.0.0.1:\(world.metricsPort)/metrics")).body)
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(30)) == 0, "\(bot.output.suffix(3000))")
        let log = bot.output

        // Every bad input counted and skipped: a log line per input (platform and reason), the same count in
        // /metrics, and nothing of it answered.
        var rejected: [String: [String: Int]] = [:]
        for line in log.split(separator: "\n") where line.contains("skipped unusable input") {
            guard let platform = line.range(of: " platform="), let reason = line.range(of: " reason=") else { continue }
            rejected[String(line[platform.upperBound..<reason.lowerBound]), default: [:]][String(line[reason.upperBound...]),
                                                                                        default: 0] += 1
        }
        print("whole bot storm: rejected inputs \(rejected)")
        for (platform, reasons) in rejected {
            // /metrics was read a moment before the stop: later polls may have seen an input again.
            let counted = metrics.sum("replytensor_inputs_rejected_total", ["platform": platform])
            #expect(counted >= 1 && counted <= Double(reasons.values.reduce(0, +)), "\(platform): \(counted) in /metrics")
        }
        let telegramRejected = rejected["telegram"] ?? [:]
        #expect(telegramRejected["malformed update", default: 0] >= 4, "\(telegramRejected)")
        #expect(telegramRejected["malformed getUpdates answer", default: 0] >= 1, "\(telegramRejected)")
        #expect(telegramRejected["invalid UTF-8", default: 0] >= 1, "\(telegramRejected)")
        let discordRejected = rejected["discord"] ?? [:]
        #expect(discordRejected["malformed message", default: 0] >= 2, "\(discordRejected)")
        #expect(discordRejected["malformed message page", default: 0] >= 2, "\(discordRejected)")
        #expect(log.split(separator: "\n").contains { $0.contains("answer is not valid UTF-8") && $0.contains("platform=discord") })
        let xRejected = rejected["twitter"] ?? [:]
        #expect(xRejected["malformed mentions answer", default: 0] >= 1, "\(xRejected)")
        #expect(xRejected["malformed post", default: 0] >= 1, "\(xRejected)")
        #expect(xRejected["invalid UTF-8", default: 0] >= 1, "\(xRejected)")

        // The hostile metagraph: no request reached any miner, and each entry was passed over for its reason.
        for axon in world.axons { #expect(await axon.served == 0) }
        let listed = try await BotProcess.run(["metagraph", "--config", "replytensor.toml"], folder: world.folder,
                                              environment: world.environment)
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains("7 neurons, 0 the bot would query"), "\(listed.output)")
        #expect(listed.output.contains("skipped: 1 duplicate hotkey, 2 not serving, 4 private address"), "\(listed.output)")
        let replies = await world.telegram.telegram.sent.map(\.text) + (await discord.sent.map(\.text))
            + (await x.botPosts.map(\.text))
        #expect(replies.allSatisfy { !$0.contains("[local miner]") })
        #expect(replies.filter { $0.contains("[gateway-emulator]") }.count >= goodTelegram.count + goodDiscord.count + goodX.count)

        // Nothing the storm sent was answered twice, and no rule was broken.
        let telegramViolations = await telegram.violations
        #expect(telegramViolations.total == 0, "\(telegramViolations)")
        #expect(await discord.violations.total == 0)
        #expect(await x.violations.requestsWhileExhausted == 0)
        let status = try await world.status()
        print("whole bot storm: ledgers \(status["mentions"] ?? "-")")
        print("whole bot storm: unknown \((status["unknown"] as? [[String: Any]] ?? []).map { $0["reason"] ?? "" })")
        // The gigantic messages are skipped with their reason before any responder sees them; nothing failed.
        let ledgers = (status["mentions"] as? [String: [String: Int]]) ?? [:]
        for platform in ["telegram", "discord", "twitter"] {
            #expect(ledgers[platform]?["skipped"] ?? 0 >= 1, "\(platform): \(ledgers[platform] ?? [:])")
            #expect(ledgers[platform]?["failed"] == nil && ledgers[platform]?["unknown"] == nil,
                    "\(platform): \(ledgers[platform] ?? [:])")
        }
        #expect(await world.gateway.requests.allSatisfy { $0.lastUserMessage.count < 32_000 })
        print("whole bot storm: failed \((status["recent_failures"] as? [[String: Any]] ?? []).map { $0["reason"] ?? "" })")
    }
}
