import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorPostgres
import TelegramPlatform
import TwitterPlatform

extension ReplyTensorConfiguration {
    /// Reads and validates the file at `url`. Throws `ConfigurationError` listing every problem.
    public static func load(from url: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
                            plugins: PluginRegistry = .builtIn) throws -> ReplyTensorConfiguration {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError("cannot read configuration file \(url.path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(url.path) is not valid UTF-8")
        }
        return try parse(text, source: url, environment: environment, plugins: plugins)
    }

    /// Reads a configuration from TOML text; `source` sets the folder relative paths start from.
    public static func parse(_ text: String, source: URL, environment: [String: String],
                             plugins: PluginRegistry = .builtIn) throws -> ReplyTensorConfiguration {
        let values: [String: ConfigValue]
        do {
            values = try ConfigValue.parse(text)
        } catch {
            throw ConfigurationError("\(source.lastPathComponent) is not valid TOML: \(error)")
        }
        let problems = ConfigProblems()
        let base = source.deletingLastPathComponent()
        let secrets = SecretSource(environment: environment, baseDirectory: base)
        let root = ConfigSection(path: "", values: values, problems: problems, secrets: secrets)
        var configuration = ReplyTensorConfiguration(bot: Bot(store: base.appendingPathComponent("replytensor.sqlite")))
        configuration.source = source

        configuration.readBot(root.section("bot"), base: base)
        configuration.readReplica(root.section("replica"))
        configuration.readLimits(root.section("limits"))
        configuration.readResponder(root.section("responder"), secrets: secrets)
        configuration.telegram = root.platform(TelegramConfiguration.self)
        configuration.discord = root.platform(DiscordConfiguration.self)
        configuration.twitter = root.platform(TwitterConfiguration.self)
        configuration.readPlugins(root.section("plugins"), registry: plugins)
        configuration.readLog(root.section("log"))
        configuration.readMetrics(root.section("metrics"))
        configuration.httpProxy = root.section("http").string("proxy", default: "")
        root.reportUnknownKeys()
        if !problems.list.isEmpty { throw ConfigurationError(problems.list) }
        return configuration
    }

    mutating func readMetrics(_ section: ConfigSection) {
        metrics.listen = section.string("listen", default: "")
        metrics.healthWindowSeconds = section.double("health_window_seconds", default: metrics.healthWindowSeconds,
                                                     minimum: 1)
        guard !metrics.listen.isEmpty else { return }
        if MetricsAddress(metrics.listen) == nil {
            section.problems.add("metrics.listen: expected \"host:port\" (e.g. \"127.0.0.1:9464\"), found \"\(metrics.listen)\"")
        }
    }

    mutating func readBot(_ section: ConfigSection, base: URL) {
        bot.name = section.string("name", default: bot.name)
        bot.persona = section.string("persona", default: bot.persona)
        let store = section.string("store", default: "replytensor.sqlite")
        if store.isEmpty { section.problems.add("bot.store: expected a file path, found an empty string") }
        if PostgresLocation.isURL(store) {
            do {
                bot.postgres = try PostgresLocation(parsing: store)
            } catch {
                section.problems.add("bot.store: \((error as? BotError)?.message ?? "\(error)")")
            }
            // Required when named: a variable or file the operator set up must be there.
            let named = section.has("store_password_env") || section.has("store_password_file")
            bot.storePassword = section.secret("store_password", defaultEnv: "REPLYTENSOR_STORE_PASSWORD",
                                               required: named, what: "the PostgreSQL password")
        } else {
            bot.store = ConfigPaths.resolve(store.isEmpty ? "replytensor.sqlite" : store, relativeTo: base)
            section.ignore("store_password_env")
            section.ignore("store_password_file")
        }
        bot.maxConcurrentReplies = section.int("max_concurrent_replies", default: 8, range: 1...256)
        bot.contextDepth = section.int("context_depth", default: 4, range: 0...50)
        bot.retentionDays = section.int("retention_days", default: 30, range: 0...3650)
        bot.maxConsecutiveReplies = section.int("max_consecutive_replies", default: 5, range: 0...1000)
        bot.shutdownGraceSeconds = section.double("shutdown_grace_seconds", default: 20)
    }

    mutating func readReplica(_ section: ConfigSection) {
        replica.name = section.string("name", default: "")
        if replica.name.isEmpty { replica.name = Replica.defaultName }
        replica.leaseSeconds = section.double("lease_seconds", default: 15, minimum: 3)
    }

    mutating func readLimits(_ section: ConfigSection) {
        limits = PolicyLimits(
            perUserPerHour: section.int("per_user_per_hour", default: 10, range: 0...1_000_000),
            perChatPerMinute: section.int("per_chat_per_minute", default: 6, range: 0...1_000_000),
            dailyReplies: section.int("daily_replies", default: 1000, range: 0...100_000_000))
    }

    mutating func readResponder(_ section: ConfigSection, secrets: SecretSource) {
        responder.order = section.strings("order", default: ["subnet", "gateway"])
        responder.timeoutSeconds = section.double("timeout_seconds", default: 30, minimum: 0.1)
        let known = ["subnet", "gateway"]
        for name in responder.order where !known.contains(name) {
            section.problems.add("responder.order: unknown responder \"\(name)\" (expected \"subnet\" or \"gateway\")")
        }
        if responder.order.isEmpty { section.problems.add("responder.order: expected at least one responder") }
        let uses = Set(responder.order)

        let subnetSection = section.section("subnet")
        var subnet = Subnet()
        subnet.netuid = subnetSection.int("netuid", default: 1, range: 0...65535)
        subnet.network = subnetSection.string("network", default: "finney")
        let network = subnet.network
        if !["finney", "test", "local"].contains(network),
           !["ws://", "wss://", "http://", "https://"].contains(where: { network.hasPrefix($0) }) {
            subnetSection.problems.add("responder.subnet.network: expected finney, test, local or a ws(s):// or http(s):// URL, found \"\(network)\"")
        }
        subnet.synapse = subnetSection.string("synapse", default: "StreamPromptingSynapse",
                                              allowed: ["StreamPromptingSynapse", "Prompting"])
        subnet.taskName = subnetSection.string("task_name", default: "")
        subnet.walletPath = subnetSection.string("wallet_path", default: "~/.bittensor/wallets")
        subnet.wallet = subnetSection.string("wallet", default: "default")
        subnet.hotkey = subnetSection.string("hotkey", default: "default")
        let passwordEnv = subnetSection.string("password_env", default: "")
        subnetSection.ignore("password_env")
        if !passwordEnv.isEmpty {
            subnet.password = secrets.environment[passwordEnv]
            if uses.contains("subnet") && (subnet.password ?? "").isEmpty {
                subnetSection.problems.add("responder.subnet.password_env: environment variable \(passwordEnv) is not set (expected the hotkey password)")
            }
        }
        subnet.minersPerQuery = subnetSection.int("miners_per_query", default: 3, range: 1...64)
        subnet.allowPrivateAxons = subnetSection.bool("allow_private_axons", default: false)
        subnet.metagraphRefreshSeconds = subnetSection.double("metagraph_refresh_seconds", default: 600, minimum: 5)
        subnet.quorum = subnetSection.int("quorum", default: 3, range: 1...64)
        subnet.answerWaitMilliseconds = subnetSection.int("answer_wait_ms", default: 800, range: 0...600_000)
        subnet.acceptSingleAnswer = subnetSection.bool("accept_single_answer", default: false)
        if subnet.quorum == 1 && !subnet.acceptSingleAnswer {
            subnetSection.problems.add("responder.subnet.quorum: 1 stops at the first answer, which has no other to agree with it; use quorum >= 2 or accept_single_answer = true")
        }
        subnet.platforms = Self.platformList("platforms", in: subnetSection)
        responder.subnet = subnet

        let gatewaySection = section.section("gateway")
        var gateway = Gateway()
        gateway.baseURL = gatewaySection.string("base_url", default: "")
        gateway.authHeader = gatewaySection.string("auth_header", default: "bearer", allowed: ["bearer", "api-key"])
        gateway.model = gatewaySection.string("model", default: "")
        gateway.stream = gatewaySection.bool("stream", default: true)
        gateway.maxRetries = gatewaySection.int("max_retries", default: 2, range: 0...10)
        gateway.tokenField = gatewaySection.string("token_field", default: gateway.tokenField,
                                                   allowed: ["max_tokens", "max_completion_tokens"])
        let usesGateway = uses.contains("gateway")
        gateway.apiKey = secrets.read("api_key", in: gatewaySection, defaultEnv: "REPLYTENSOR_GATEWAY_KEY",
                                      required: false, what: "the gateway API key")
        if usesGateway {
            if gateway.baseURL.isEmpty || !(gateway.baseURL.hasPrefix("http://") || gateway.baseURL.hasPrefix("https://")) {
                gatewaySection.problems.add("responder.gateway.base_url: expected an http(s) URL such as https://host/v1, found \"\(gateway.baseURL)\"")
            }
        }
        responder.gateway = gateway
    }

    /// A list of platform names (`["twitter", "discord"]`; `x` is another name for `twitter`), each known.
    static func platformList(_ key: String, in section: ConfigSection) -> [Platform] {
        let known: [Platform] = [.telegram, .discord, .twitter]
        var platforms: [Platform] = []
        for name in section.strings(key, default: []) {
            let platform = name.lowercased() == "x" ? Platform.twitter : Platform(rawValue: name.lowercased())
            guard known.contains(platform) else {
                section.problems.add("\(section.keyPath(key)): unknown platform \"\(name)\" (expected telegram, discord or twitter)")
                continue
            }
            if !platforms.contains(platform) { platforms.append(platform) }
        }
        return platforms
    }

    mutating func readPlugins(_ section: ConfigSection, registry: PluginRegistry) {
        enabledPlugins = section.strings("enabled", default: enabledPlugins)
        for name in enabledPlugins where registry.factories[name] == nil {
            section.problems.add("plugins.enabled: unknown plugin \"\(name)\" (known: \(registry.factories.keys.sorted().joined(separator: ", ")))")
        }
        for name in section.keys where name != "enabled" {
            let options = section.section(name)
            guard let allowed = registry.optionKeys[name] else {
                section.problems.add("plugins.\(name): no plugin of that name")
                continue
            }
            var values: [String: PluginOption] = [:]
            for key in options.keys where allowed.contains(key) {
                switch options.value(key) {
                case .string(let text)?: values[key] = .string(text)
                case .int(let number)?: values[key] = .int(number)
                case .bool(let flag)?: values[key] = .bool(flag)
                case .array?: values[key] = .strings(options.strings(key))
                case let other?: options.problems.add("plugins.\(name).\(key): unsupported value \(other.kind)")
                case nil: break
                }
            }
            pluginOptions[name] = values
        }
        for name in enabledPlugins where registry.enabledByDefault.contains(name)
            && pluginOptions[name]?["enabled"] == .bool(false) {
            section.problems.add("plugins.\(name).enabled: false, but plugins.enabled names \"\(name)\"")
        }
        // Build the plugins once, so that their own checks (a deny pattern that does not compile) are
        // configuration errors now rather than at start.
        guard enabledPlugins.allSatisfy({ registry.factories[$0] != nil }) else { return }
        do {
            _ = try registry.make(enabledPlugins, setup: pluginSetup)
        } catch {
            section.problems.add((error as? BotError)?.message ?? "\(error)")
        }
    }

    mutating func readLog(_ section: ConfigSection) {
        log.level = section.string("level", default: "info",
                                   allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        log.format = section.string("format", default: "text", allowed: ["text", "json"])
    }
}
