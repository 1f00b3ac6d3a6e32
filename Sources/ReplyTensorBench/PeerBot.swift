import Foundation
import ReplyTensorApp
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// A bot of the side-by-side run, as a child process against one Telegram and one gateway emulator; secrets by
/// environment (`BENCH_TELEGRAM_TOKEN`, `BENCH_GATEWAY_KEY`), output to a log in its folder.
enum PeerBot {
    /// scripts/bench/ptb_bot.py under `python`.
    case pythonTelegramBot(python: String, script: String)
    /// `replytensor run` next to this executable with `TelegramBenchmark.config` (metrics off).
    case replyTensor

    var name: String {
        switch self {
        case .pythonTelegramBot: "python-telegram-bot"
        case .replyTensor: "replytensor"
        }
    }

    func start(telegram: TelegramEmulator, gateway: GatewayEmulator, folder: URL) throws -> ChildProcess {
        let environment = ["BENCH_TELEGRAM_TOKEN": telegram.token, "BENCH_GATEWAY_KEY": gateway.apiKey]
        let log = ChildProcess.Output.log(folder.appendingPathComponent("bot.log"))
        let child: ChildProcess
        switch self {
        case .pythonTelegramBot(let python, let script):
            child = ChildProcess(executable: URL(fileURLWithPath: python),
                                 arguments: [script, "--api-base", telegram.apiBase, "--gateway", gateway.baseURL,
                                             "--model", "replytensor-emulator", "--username", telegram.bot.username ?? ""],
                                 directory: folder, environment: environment, input: .null, output: log)
        case .replyTensor:
            let text = TelegramBenchmark.config(telegram: telegram, gateway: gateway, metrics: false)
            let url = folder.appendingPathComponent("replytensor.toml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            // The bot's own loader reads it first: a key that drifted from the contract fails here.
            _ = try ReplyTensorConfiguration.parse(text, source: url,
                                                   environment: ProcessInfo.processInfo.environment
                                                       .merging(environment) { $1 })
            child = ChildProcess(executable: TelegramBenchmark.binary, arguments: ["run"], directory: folder,
                                 environment: environment, input: .null, output: log)
        }
        try child.start()
        return child
    }

    /// What the bot says about itself in its log (the python side prints its library versions as JSON).
    func versions(from child: ChildProcess) -> [String: Any] {
        guard case .pythonTelegramBot = self else { return [:] }
        let line = child.logText.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? "{}"
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }
}
