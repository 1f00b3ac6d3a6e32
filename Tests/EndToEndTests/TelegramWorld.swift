import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// A Telegram emulator and a gateway emulator in the test process, and configurations for the real binary.
struct TelegramWorld {
    let telegram: TelegramEmulator
    let gateway: GatewayEmulator
    let folder: URL

    static func start(answer: GatewayEmulator.Answer? = nil) async throws -> TelegramWorld {
        let world = TelegramWorld(telegram: try await TelegramEmulator.start(), gateway: try await GatewayEmulator.start(),
                                  folder: try BotProcess.makeFolder())
        if let answer { await world.gateway.setAnswer(answer) }
        return world
    }

    func stop() async {
        await telegram.stop()
        await gateway.stop()
    }

    /// Secrets reach the bot through the environment only.
    var environment: [String: String] {
        ["E2E_TELEGRAM_TOKEN": telegram.token, "E2E_GATEWAY_KEY": gateway.apiKey]
    }

    /// Writes `replytensor.toml` for the binary; `extra` is appended verbatim.
    func writeConfig(logLevel: String = "info", maxParts: Int = 4, pollTimeoutSeconds: Int = 5, extra: String = "") throws {
        try E2EConfig.write(E2EConfig.common(gateway: gateway), """
            [telegram]
            enabled = true
            token_env = "E2E_TELEGRAM_TOKEN"
            api_base = "\(telegram.apiBase)"
            poll_timeout_seconds = \(pollTimeoutSeconds)
            max_parts = \(maxParts)
            [log]
            level = "\(logLevel)"
            \(extra)
            """, to: folder)
    }

    func startBot() throws -> BotProcess { try BotProcess(["run"], folder: folder, environment: environment) }

    /// Groups with users, and `perChat` mentions of the bot in each (not yet sent).
    func burst(chats: Int, perChat: Int) async throws -> [TelegramEmulator.Message] {
        var messages: [TelegramEmulator.Message] = []
        var groups: [TelegramEmulator.Chat] = []
        for index in 0..<chats { groups.append(await telegram.addGroup(title: "group \(index)", supergroup: true)) }
        var users: [TelegramEmulator.User] = []
        for index in 0..<20 { users.append(await telegram.addUser(username: "user\(index)", firstName: "U\(index)")) }
        for round in 0..<perChat {
            for (index, group) in groups.enumerated() {
                let user = users[(round * chats + index) % users.count]
                messages.append(try await telegram.inject(text: "@ReplyTensorBot question \(round) in \(index)",
                                                          from: user, in: group))
            }
        }
        return messages
    }

    /// How many replies each message got.
    func replyCounts(_ messages: [TelegramEmulator.Message]) async -> [Int] {
        let sent = await telegram.sent
        var counts: [String: Int] = [:]
        for message in sent { counts["\(message.chatID):\(message.replyToMessageID ?? -1)", default: 0] += 1 }
        return messages.map { counts["\($0.chat.id):\($0.messageId)"] ?? 0 }
    }

    /// `replytensor status --json` for this folder.
    func status() async throws -> [String: Any] {
        let result = try await BotProcess.run(["status", "--json"], folder: folder, environment: environment)
        #expect(result.status == 0, "status failed: \(result.output)")
        return (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]) ?? [:]
    }

    /// Ledger counts by state for Telegram, from `status --json`.
    func ledger() async throws -> [String: Int] {
        let mentions = try await status()["mentions"] as? [String: [String: Int]]
        return mentions?["telegram"] ?? [:]
    }

    static func wait(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(50), condition)
    }
}
