import Foundation
import ReplyTensorEmulators
import Testing

@Suite("Private files end to end (real binary): warnings and refusals", .serialized)
struct PrivateFilesEndToEndTests {
    @Test("a store readable by group or others draws a warning from check and from run")
    func exposedStoreIsWarnedAbout() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let store = world.folder.appendingPathComponent("bot.sqlite").path
        #expect(FileManager.default.createFile(atPath: store, contents: nil, attributes: [.posixPermissions: 0o644]))
        let warning = "\(store) is accessible by group or others (mode 0644)"

        let check = try await BotProcess.run(["check", "--offline"], folder: world.folder, environment: world.environment)
        #expect(check.status == 0 && check.output.contains(warning), "\(check.output)")
        let bot = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { bot.output.contains(warning) }, "\(bot.output)")
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("a *_file secret readable by others is a configuration error (exit 78) naming the key")
    func readableSecretFileIsRefused() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        let tokenFile = world.folder.appendingPathComponent("telegram.token").path
        #expect(FileManager.default.createFile(atPath: tokenFile, contents: Data(world.telegram.token.utf8),
                                               attributes: [.posixPermissions: 0o644]))
        try world.writeConfig(extra: "")
        let config = world.folder.appendingPathComponent("replytensor.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "token_env = \"E2E_TELEGRAM_TOKEN\"", with: "token_file = \"telegram.token\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        for command in [["check", "--offline"], ["run"]] {
            let result = try await BotProcess.run(command, folder: world.folder, environment: world.environment)
            #expect(result.status == 78, "\(command): \(result.output)")
            #expect(result.output.contains("telegram.token_file: \(tokenFile) is accessible by group or others (mode 0644)"),
                    "\(result.output)")
            #expect(!result.output.contains(world.telegram.token))
        }
        #expect(chmod(tokenFile, 0o600) == 0)
        let accepted = try await BotProcess.run(["check", "--offline"], folder: world.folder, environment: world.environment)
        #expect(accepted.status == 0, "\(accepted.output)")
    }
}
