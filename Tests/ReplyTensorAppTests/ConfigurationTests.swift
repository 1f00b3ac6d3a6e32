import Foundation
import Logging
import ReplyTensorApp
import ReplyTensorCore
import Testing

enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let exampleConfig = packageRoot.appendingPathComponent("config/replytensor.example.toml")
    static let configURL = URL(fileURLWithPath: "/srv/bot/replytensor.toml")

    static func parse(_ text: String, environment: [String: String] = [:]) throws -> ReplyTensorConfiguration {
        try ReplyTensorConfiguration.parse(text, source: configURL, environment: environment)
    }

    /// The problems a configuration is refused with.
    static func problems(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch let error as ConfigurationError {
            return error.problems
        } catch {
            return ["unexpected: \(error)"]
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test("responder.subnet.task_name reaches the subnet responder's synapse; empty means none")
    func subnetTaskName() throws {
        let subnetOnly = "[responder]\norder = [\"subnet\"]\n[responder.subnet]\n"
        let named = try Fixtures.parse(subnetOnly + "task_name = \"inference\"")
        #expect(try SubnetWiring.subnetConfiguration(named).taskName == "inference")
        #expect(try SubnetWiring.subnetConfiguration(Fixtures.parse(subnetOnly)).taskName == nil)
        #expect(!Fixtures.problems(subnetOnly + "task_name = 3").isEmpty)
    }

    @Test("quorum, answer_wait_ms and accept_single_answer reach the subnet responder; defaults 3, 800 ms, false")
    func subnetAgreement() throws {
        let subnetOnly = "[responder]\norder = [\"subnet\"]\n[responder.subnet]\n"
        let defaults = try SubnetWiring.subnetConfiguration(Fixtures.parse(subnetOnly))
        #expect(defaults.quorum == 3 && defaults.answerWait == .milliseconds(800) && !defaults.acceptSingleAnswer)
        let tuned = try SubnetWiring.subnetConfiguration(Fixtures.parse(
            subnetOnly + "quorum = 5\nanswer_wait_ms = 1500\naccept_single_answer = true"))
        #expect(tuned.quorum == 5 && tuned.answerWait == .milliseconds(1500) && tuned.acceptSingleAnswer)
        #expect(Fixtures.problems(subnetOnly + "quorum = 0").contains { $0.hasPrefix("responder.subnet.quorum") })
        #expect(Fixtures.problems(subnetOnly + "answer_wait_ms = \"soon\"").contains { $0.hasPrefix("responder.subnet.answer_wait_ms") })
        #expect(Fixtures.problems(subnetOnly + "accept_single_answer = 1").contains { $0.hasPrefix("responder.subnet.accept_single_answer") })
        // A quorum of 1 stops at a lone answer, which only accept_single_answer may use.
        #expect(Fixtures.problems(subnetOnly + "quorum = 1").contains { $0.contains("accept_single_answer = true") })
        #expect(Fixtures.problems(subnetOnly + "quorum = 1\naccept_single_answer = true").isEmpty)
    }

    @Test("the documented example configuration loads and documents every key it reads")
    func exampleLoads() throws {
        let configuration = try ReplyTensorConfiguration.load(from: Fixtures.exampleConfig, environment: [:])
        #expect(configuration.bot.store.path == Fixtures.exampleConfig.deletingLastPathComponent()
            .appendingPathComponent("replytensor.sqlite").path)
        #expect(configuration.limits == PolicyLimits(perUserPerHour: 10, perChatPerMinute: 6, dailyReplies: 1000))
        #expect(configuration.enabledPlugins == ["commands", "blocklist", "mention-safety"])
    }

    @Test("responder.gateway.token_field: max_tokens by default, max_completion_tokens when asked, nothing else")
    func gatewayTokenField() throws {
        let gateway = "responder.order = [\"gateway\"]\n[responder.gateway]\nbase_url = \"http://127.0.0.1:1/v1\"\n"
        #expect(try Fixtures.parse(gateway).responder.gateway.tokenField == "max_tokens")
        #expect(try Fixtures.parse(gateway + "token_field = \"max_completion_tokens\"").responder.gateway.tokenField
                    == "max_completion_tokens")
        let problems = Fixtures.problems(gateway + "token_field = \"max_output_tokens\"")
        #expect(problems.contains { $0.hasPrefix("responder.gateway.token_field:") })
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let configuration = try Fixtures.parse("responder.order = [\"gateway\"]\nresponder.gateway.base_url = \"http://127.0.0.1:1/v1\"")
        #expect(configuration.bot.maxConcurrentReplies == 8)
        #expect(configuration.bot.contextDepth == 4)
        #expect(configuration.bot.retentionDays == 30)
        #expect(configuration.bot.store.path == "/srv/bot/replytensor.sqlite")
        #expect(configuration.log.level == "info")
        #expect(configuration.enabledPlatforms.isEmpty)
    }

    @Test("unknown keys are errors naming the key path")
    func unknownKeys() {
        let problems = Fixtures.problems("""
            [bot]
            nmae = "typo"
            [limits]
            per_user_per_day = 3
            [nonsense]
            x = 1
            """)
        #expect(problems.contains("bot.nmae: unknown key"))
        #expect(problems.contains("limits.per_user_per_day: unknown key"))
        #expect(problems.contains("nonsense: unknown key"))
    }

    @Test("wrong types name the key path, what was expected and what was found")
    func wrongTypes() {
        let problems = Fixtures.problems("""
            [bot]
            max_concurrent_replies = "eight"
            context_depth = -1
            [limits]
            daily_replies = true
            [log]
            level = "loud"
            [plugins]
            enabled = "commands"
            """)
        #expect(problems.contains("bot.max_concurrent_replies: expected an integer, found string \"eight\""))
        #expect(problems.contains("bot.context_depth: expected an integer in 0…50, found -1"))
        #expect(problems.contains("limits.daily_replies: expected an integer, found boolean true"))
        #expect(problems.contains { $0.hasPrefix("log.level: expected one of") && $0.hasSuffix("found \"loud\"") })
        #expect(problems.contains("plugins.enabled: expected an array of strings, found string \"commands\""))
    }

    @Test("secrets written inline are refused with a hint to use *_env or *_file")
    func inlineSecret() {
        let problems = Fixtures.problems("""
            [responder.gateway]
            api_key = "sk-live-123"
            """)
        #expect(problems.contains { $0.hasPrefix("responder.gateway.api_key: unknown key; secrets are never written inline") })
        #expect(!problems.joined().contains("sk-live-123"))
    }

    @Test("relative paths are relative to the configuration file; ~ is the home folder")
    func relativePaths() throws {
        let configuration = try Fixtures.parse("""
            [bot]
            store = "data/bot.sqlite"
            [responder]
            order = ["gateway"]
            [responder.gateway]
            base_url = "http://127.0.0.1:9/v1"
            """)
        #expect(configuration.bot.store.path == "/srv/bot/data/bot.sqlite")
        #expect(ConfigPaths.resolve("~/x", relativeTo: Fixtures.configURL).path.hasSuffix("/x"))
        #expect(!ConfigPaths.resolve("~/x", relativeTo: Fixtures.configURL).path.contains("~"))
    }

    @Test("a secret file is read relative to the configuration file")
    func secretFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "key-from-file\n".write(to: folder.appendingPathComponent("gateway.key"), atomically: true, encoding: .utf8)
        #expect(chmod(folder.appendingPathComponent("gateway.key").path, 0o600) == 0)
        let configuration = try ReplyTensorConfiguration.parse("""
            [responder]
            order = ["gateway"]
            [responder.gateway]
            base_url = "http://127.0.0.1:9/v1"
            api_key_file = "gateway.key"
            """, source: folder.appendingPathComponent("replytensor.toml"), environment: [:])
        #expect(configuration.responder.gateway.apiKey == "key-from-file")
        #expect(configuration.secrets.contains("key-from-file"))
    }

    @Test("invalid TOML is a clear error")
    func invalidTOML() {
        let problems = Fixtures.problems("[bot\nname = ")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("not valid TOML") == true)
    }

    @Test("an unknown responder or plugin name is refused")
    func unknownNames() {
        let problems = Fixtures.problems("""
            [responder]
            order = ["oracle"]
            [plugins]
            enabled = ["commands", "magic"]
            """)
        #expect(problems.contains("responder.order: unknown responder \"oracle\" (expected \"subnet\" or \"gateway\")"))
        #expect(problems.contains { $0.hasPrefix("plugins.enabled: unknown plugin \"magic\"") })
    }

    @Test("blocklist entries reach the plugin setup")
    func blocklistOptions() throws {
        let configuration = try Fixtures.parse("""
            [responder]
            order = ["gateway"]
            [responder.gateway]
            base_url = "http://127.0.0.1:9/v1"
            [plugins.blocklist]
            users = ["@spammer", 12345]
            chats = ["-100"]
            """)
        #expect(configuration.pluginOptions["blocklist"]?["users"] == .strings(["@spammer", "12345"]))
        #expect(configuration.pluginOptions["blocklist"]?["chats"] == .strings(["-100"]))
    }
}

@Suite("Logging")
struct LoggingTests {
    @Test("no secret appears in log output at debug level, in messages, metadata or URLs; JSON lines parse")
    func redaction() throws {
        for format in [RedactingLogHandler.Format.text, .json] {
            let output = LogOutput(toStandardError: false)
            let secrets = ["123456:ABC-telegram-token", "sk-gateway-key"]
            var logger = Logger(label: "test") { label in
                RedactingLogHandler(label: label, format: format, secrets: secrets, logLevel: .debug, output: output)
            }
            logger.logLevel = .debug
            logger[metadataKey: "platform"] = "telegram"
            logger.debug("GET https://api.telegram.org/bot123456:ABC-telegram-token/getUpdates",
                         metadata: ["mention.id": "1", "auth": "Bearer sk-gateway-key", "nested": ["k": "sk-gateway-key"]])
            logger.error("failed with sk-gateway-key")
            let text = output.captured.joined(separator: "\n")
            #expect(output.captured.count == 2)
            for secret in secrets { #expect(!text.contains(secret)) }
            #expect(text.contains("<redacted>"))
            if format == .json {
                for line in output.captured {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["level"] != nil && object?["message"] != nil && object?["timestamp"] != nil)
                    #expect(object?["platform"] as? String == "telegram")
                }
            }
        }
    }
}
