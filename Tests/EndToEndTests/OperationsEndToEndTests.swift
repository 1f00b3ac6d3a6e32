import Foundation
import ReplyTensorTestSupport
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

@Suite("Operations end to end (real binary): metrics, health, JSON logs", .serialized)
struct OperationsEndToEndTests {
    let http = CurlHTTPClient()

    @Test("/metrics parses with prometheus_client and its counters match what the emulators recorded")
    func metricsMatchEmulators() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        let port = try LoopbackPort.free()
        try world.writeConfig(extra: "[metrics]\nlisten = \"127.0.0.1:\(port)\"")
        let messages = try await world.burst(chats: 4, perChat: 5)
        await world.telegram.faults.enqueue(.rateLimited(retryAfterSeconds: 1), route: "sendMessage", times: 2)
        let bot = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(60)) { await world.telegram.sent.count >= messages.count })
        try await Task.sleep(for: .milliseconds(500))

        let response = try await http.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
        let metrics = try PrometheusText(parsing: response.body)
        let telegram = ["platform": "telegram"]
        let sent = await world.telegram.sent.count
        let gatewayCalls = await world.gateway.requests.count
        #expect(metrics.sum("replytensor_mentions_admitted_total", telegram) == Double(messages.count))
        #expect(metrics.sum("replytensor_mentions_answered_total", telegram) == Double(messages.count))
        #expect(metrics.sum("replytensor_replies_posted_total", telegram) == Double(messages.count))
        #expect(metrics.sum("replytensor_reply_parts_posted_total", telegram) == Double(sent))
        #expect(metrics.sum("replytensor_http_requests_total", telegram.merging(["status": "200"]) { $1 }) {
            $0["endpoint"]?.hasSuffix("/sendMessage") == true
        } == Double(sent))
        // The two injected 429s, plus any the emulator's own send rules gave: what it answered is what was counted.
        let tooMany = await world.telegram.recorder.requests.filter { $0.status == 429 }.count
        #expect(tooMany >= 2)
        #expect(metrics.sum("replytensor_http_429_total", telegram) == Double(tooMany))
        #expect(metrics.sum("replytensor_rate_limit_waits_total", telegram) >= 2)
        #expect(metrics.sum("replytensor_responder_latency_seconds_count", ["backend": "gateway"]) == Double(gatewayCalls))
        #expect(metrics.sum("replytensor_ledger_mentions", telegram.merging(["state": "answered"]) { $1 })
            == Double(messages.count))
        #expect(metrics.sum("replytensor_process_resident_memory_bytes") > 1_000_000)
        #expect(metrics.sum("replytensor_process_open_fds") > 3)
        #expect(metrics.samples.contains { $0.name == "replytensor_cursor_lag_seconds" })
        // The token is part of Telegram's URL path: the endpoint label must not carry it.
        #expect(!metrics.samples.contains { $0.labels.values.contains { $0.contains(world.telegram.token) } })

        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("/healthz is 200 while polls succeed, 503 with a JSON reason while Telegram answers 500, 200 again after")
    func healthFlips() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        let port = try LoopbackPort.free()
        try world.writeConfig(pollTimeoutSeconds: 1,
                              extra: "[metrics]\nlisten = \"127.0.0.1:\(port)\"\nhealth_window_seconds = 3")
        let bot = try world.startBot()
        let url = "http://127.0.0.1:\(port)/healthz"
        #expect(await TelegramWorld.wait(timeout: .seconds(20)) { await status(url) == 200 })

        await world.telegram.faults.enqueue(.status(500), route: "getUpdates", times: 10_000)
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await status(url) == 503 })
        let body = try await http.execute(HTTPRequest(url: url)).body
        let report = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect(report?["healthy"] as? Bool == false)
        #expect((report?["reasons"] as? [String])?.first?.contains("telegram") == true)

        await world.telegram.faults.clear()
        #expect(await TelegramWorld.wait(timeout: .seconds(60)) { await status(url) == 200 })
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("log.format json: one JSON object per line with timestamp, level, message; mention lines carry platform and mention.id; no secret at debug level")
    func jsonLogs() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(logLevel: "debug", extra: "format = \"json\"")
        let messages = try await world.burst(chats: 2, perChat: 2)
        let bot = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await world.telegram.sent.count >= messages.count })
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)

        let lines = bot.output.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count > 5)
        var mentionLines = 0
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            guard let object else { continue }
            #expect(object["timestamp"] is String && object["level"] is String && object["message"] is String)
            if object["mention.id"] != nil {
                mentionLines += 1
                #expect(object["platform"] as? String == "telegram", "\(line)")
            }
        }
        #expect(mentionLines >= messages.count)
        #expect(!bot.output.contains(world.telegram.token))
        #expect(!bot.output.contains(world.gateway.apiKey))
    }

    private func status(_ url: String) async -> Int? {
        try? await http.execute(HTTPRequest(url: url, timeout: .seconds(3))).status
    }
}
