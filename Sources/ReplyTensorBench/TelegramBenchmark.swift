import Foundation
import ReplyTensorApp
import ReplyTensorEmulators

/// The real `replytensor run` binary against the Telegram and gateway emulators (instant answers): replies per
/// second end to end, peak RSS, CPU while idle on a long poll, time from start to the first poll; with the metrics
/// endpoint off and on.
enum TelegramBenchmark {
    static func run() async throws {
        for metrics in [false, true] {
            try await measure(mentions: 600, chats: 60, metrics: metrics)
        }
    }

    static func measure(mentions: Int, chats: Int, metrics: Bool) async throws {
        let telegram = try await TelegramEmulator.start()
        let gateway = try await GatewayEmulator.start()
        defer { Task { await telegram.stop(); await gateway.stop() } }
        let folder = URL(fileURLWithPath: temporaryStorePath("telegram")).deletingLastPathComponent()
        let configText = config(telegram: telegram, gateway: gateway, metrics: metrics)
        let configURL = folder.appendingPathComponent("replytensor.toml")
        try configText.write(to: configURL, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = binary
        process.arguments = ["run"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["BENCH_TELEGRAM_TOKEN"] = telegram.token
        environment["BENCH_GATEWAY_KEY"] = gateway.apiKey
        process.environment = environment
        // The bot's own loader reads the configuration first: a key that drifted from the contract fails here, not
        // as a silent difference in the figures.
        _ = try ReplyTensorConfiguration.parse(configText, source: configURL, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        let probe = ProcessProbe(pid: process.processIdentifier)
        while await telegram.recorder.requests(path: "getUpdates").isEmpty {
            try await Task.sleep(for: .milliseconds(2))
        }
        let firstPoll = await telegram.recorder.requests(path: "getUpdates").first!.at.timeIntervalSince(started)

        // Idle on a long poll: CPU over 10 s with nothing to do.
        try await Task.sleep(for: .seconds(2))
        let idleStart = probe.cpuSeconds
        try await Task.sleep(for: .seconds(10))
        let idleCPU = (probe.cpuSeconds - idleStart) / 10

        var users: [TelegramEmulator.User] = []
        for index in 0..<chats { users.append(await telegram.addUser(username: "user\(index)", firstName: "U")) }
        let burstStart = ContinuousClock.now
        let cpuBefore = probe.cpuSeconds
        for index in 0..<mentions {
            _ = try await telegram.inject(text: "question \(index)", from: users[index % chats])
        }
        while await telegram.sent.count < mentions { try await Task.sleep(for: .milliseconds(5)) }
        let elapsed = (ContinuousClock.now - burstStart).seconds
        let burstCPU = probe.cpuSeconds - cpuBefore
        let peak = probe.peakResidentBytes
        process.terminate()
        process.waitUntilExit()
        let violations = await telegram.violations
        report(["benchmark": "telegram_end_to_end", "metrics_endpoint": metrics, "mentions": mentions, "chats": chats,
                "replies_per_second": Double(mentions) / elapsed, "burst_seconds": elapsed,
                "cpu_seconds_per_reply": burstCPU / Double(mentions),
                "peak_rss_mib": Double(peak) / 1_048_576, "idle_cpu_percent": idleCPU * 100,
                "start_to_first_poll_ms": firstPoll * 1000, "rule_violations": violations.total,
                "exit_status": Int(process.terminationStatus)])
    }

    static func config(telegram: TelegramEmulator, gateway: GatewayEmulator, metrics: Bool) -> String {
        telegramAndGateway(telegram: telegram, gateway: gateway) + """
            [log]
            level = "warning"
            [metrics]
            listen = "\(metrics ? "127.0.0.1:0" : "")"
            """
    }

    /// The store, no policy limits, the gateway emulator as the responder and Telegram on a 30 s long poll: what
    /// every bench bot shares.
    static func telegramAndGateway(telegram: TelegramEmulator, gateway: GatewayEmulator) -> String {
        """
        [bot]
        store = "bot.sqlite"
        [limits]
        per_user_per_hour = 0
        per_chat_per_minute = 0
        daily_replies = 0
        [responder]
        order = ["gateway"]
        [responder.gateway]
        base_url = "\(gateway.baseURL)"
        api_key_env = "BENCH_GATEWAY_KEY"
        model = "replytensor-emulator"
        stream = false
        [telegram]
        enabled = true
        token_env = "BENCH_TELEGRAM_TOKEN"
        api_base = "\(telegram.apiBase)"
        poll_timeout_seconds = 30

        """
    }

    /// `replytensor` next to this benchmark executable.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("replytensor")
    }
}
