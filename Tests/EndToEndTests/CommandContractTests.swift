import Foundation
import Testing

@Suite("CLI contract (real binary)")
struct CommandContractTests {
    @Test("--version and --help work everywhere")
    func versionAndHelp() async throws {
        let folder = try BotProcess.makeFolder()
        let version = try await BotProcess.run(["--version"], folder: folder)
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        for command in [[], ["run"], ["check"], ["status"]] {
            let help = try await BotProcess.run(command + ["--help"], folder: folder)
            #expect(help.status == 0)
            #expect(help.output.contains("USAGE"))
        }
    }

    @Test("usage errors exit 64")
    func usageErrors() async throws {
        let folder = try BotProcess.makeFolder()
        #expect(try await BotProcess.run(["check", "--no-such-flag"], folder: folder).status == 64)
        #expect(try await BotProcess.run(["frobnicate"], folder: folder).status == 64)
    }

    @Test("configuration errors exit 78 and name the key path; a missing file too")
    func configurationErrors() async throws {
        let folder = try BotProcess.makeFolder()
        let missing = try await BotProcess.run(["check", "--offline", "--config", "nope.toml"], folder: folder)
        #expect(missing.status == 78)
        #expect(missing.output.contains("nope.toml"))
        try "[bot]\nmax_concurrent_replies = \"many\"\nbogus = 1\n".write(
            to: folder.appendingPathComponent("replytensor.toml"), atomically: true, encoding: .utf8)
        for command in [["check", "--offline"], ["run"], ["status"]] {
            let result = try await BotProcess.run(command, folder: folder)
            #expect(result.status == 78, "\(command)")
            #expect(result.output.contains("bot.max_concurrent_replies: expected an integer, found string \"many\""))
            #expect(result.output.contains("bot.bogus: unknown key"))
        }
    }

    @Test("REPLYTENSOR_CONFIG names the configuration when --config is absent")
    func configFromEnvironment() async throws {
        let folder = try BotProcess.makeFolder()
        try "[bot]\nnmae = 1\n".write(to: folder.appendingPathComponent("other.toml"), atomically: true, encoding: .utf8)
        let result = try await BotProcess.run(["check", "--offline"], folder: folder,
                                              environment: ["REPLYTENSOR_CONFIG": folder.appendingPathComponent("other.toml").path])
        #expect(result.status == 78)
        #expect(result.output.contains("bot.nmae: unknown key"))
    }

    @Test("a missing secret is a configuration error naming the key and the variable")
    func missingSecret() async throws {
        let folder = try BotProcess.makeFolder()
        try """
            [telegram]
            enabled = true
            token_env = "RT_TEST_TOKEN_THAT_IS_NOT_SET"
            """.write(to: folder.appendingPathComponent("replytensor.toml"), atomically: true, encoding: .utf8)
        let result = try await BotProcess.run(["check", "--offline"], folder: folder)
        #expect(result.status == 78)
        #expect(result.output.contains("telegram.token_env: environment variable RT_TEST_TOKEN_THAT_IS_NOT_SET is not set"))
    }

    @Test("status on a configuration that never ran reports no store, as JSON too")
    func statusWithoutStore() async throws {
        let folder = try BotProcess.makeFolder()
        try "[responder]\norder = [\"gateway\"]\n[responder.gateway]\nbase_url = \"http://127.0.0.1:9/v1\"\n"
            .write(to: folder.appendingPathComponent("replytensor.toml"), atomically: true, encoding: .utf8)
        let text = try await BotProcess.run(["status"], folder: folder)
        #expect(text.status == 0)
        #expect(text.output.contains("No store yet"))
        let json = try await BotProcess.run(["status", "--json"], folder: folder)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["exists"] as? Bool == false)
    }
}
