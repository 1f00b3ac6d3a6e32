import DiscordPlatform
import Foundation
import ReplyTensorCore
import ReplyTensorPostgres
import TelegramPlatform
import TwitterPlatform

/// The whole configuration file (README, "Configuration"). Every key has a default; secrets come only from
/// `*_env`/`*_file`; relative paths are relative to the file.
public struct ReplyTensorConfiguration: Sendable {
    public struct Bot: Sendable {
        public var name = "ReplyTensor"
        public var persona = "You are ReplyTensor, a concise and friendly assistant answering on social media."
        /// The SQLite file (`bot.store` as a path); unused when `postgres` is set.
        public var store: URL
        /// `bot.store` as a `postgresql://` URL: the store replicas share.
        public var postgres: PostgresLocation?
        /// From `store_password_env` / `store_password_file`.
        public var storePassword: String?
        public var maxConcurrentReplies = 8
        public var contextDepth = 4
        public var retentionDays = 30
        public var maxConsecutiveReplies = 5
        public var shutdownGraceSeconds = 20.0
    }

    /// `[replica]`: this process among replicas sharing a PostgreSQL store.
    public struct Replica: Sendable {
        /// Default host:pid.
        public var name = Replica.defaultName
        public var leaseSeconds = 15.0

        public static var defaultName: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }
    }

    public struct Responder: Sendable {
        public var order = ["subnet", "gateway"]
        public var timeoutSeconds = 30.0
        public var subnet = Subnet()
        public var gateway = Gateway()
    }

    public struct Subnet: Sendable {
        public var netuid = 1
        public var network = "finney"
        public var synapse = "StreamPromptingSynapse"
        /// Sent as `task_name` with `StreamPromptingSynapse` when not empty (the later variant requires it).
        public var taskName = ""
        public var walletPath = "~/.bittensor/wallets"
        public var wallet = "default"
        public var hotkey = "default"
        public var password: String?
        public var minersPerQuery = 3
        public var allowPrivateAxons = false
        public var metagraphRefreshSeconds = 600.0
        /// Acceptable answers wanted before choosing.
        public var quorum = 3
        /// How long to wait for more answers after the first acceptable one.
        public var answerWaitMilliseconds = 800
        /// Whether an answer no other answer agrees with may be posted.
        public var acceptSingleAnswer = false
        /// `platforms`: the subnet answers only mentions from these (empty = every platform); the others (DMs, say)
        /// go to the next responder, so their text never reaches third-party miners.
        public var platforms: [Platform] = []
    }

    public struct Gateway: Sendable {
        public var baseURL = ""
        public var apiKey: String?
        public var authHeader = "bearer"
        public var model = ""
        public var stream = true
        public var maxRetries = 2
        /// `token_field`: `max_tokens` or `max_completion_tokens`, the name the output-token cap is sent under.
        public var tokenField = "max_tokens"
    }

    public struct Log: Sendable {
        public var level = "info"
        public var format = "text"
    }

    /// `[metrics]`: the Prometheus endpoint and the health window.
    public struct Metrics: Sendable {
        /// `host:port` serving `/metrics` and `/healthz`; empty = off.
        public var listen = ""
        /// `/healthz` is 200 only when every enabled adapter polled successfully within this many seconds.
        public var healthWindowSeconds = 180.0
    }

    public var bot: Bot
    public var replica = Replica()
    public var limits = PolicyLimits()
    public var responder = Responder()
    /// `[telegram]`, `[discord]` and `[twitter]` (or `[x]`): each adapter's own settings type reads its section.
    public var telegram = TelegramConfiguration.defaults
    public var discord = DiscordConfiguration.defaults
    public var twitter = TwitterConfiguration.defaults
    public var enabledPlugins = ["commands", "blocklist", "mention-safety"]
    public var pluginOptions: [String: [String: PluginOption]] = [:]

    /// The plugins that run, in order: `persona`, the enabled ones, then those on by default (`output`) unless
    /// their section switches them off.
    public var activePlugins: [String] { PluginRegistry.builtIn.resolve(enabledPlugins, setup: pluginSetup) }

    /// What the factory of plugin `name` gets: the bot's name and persona, and `[plugins.<name>]`.
    func pluginSetup(_ name: String) -> PluginSetup {
        PluginSetup(botName: bot.name, persona: bot.persona, options: pluginOptions[name] ?? [:], plugin: name)
    }
    public var log = Log()
    public var metrics = Metrics()
    public var httpProxy = ""
    /// The configuration file this was read from (nil for defaults).
    public var source: URL?

    /// Everything that holds a secret, so logs and errors can redact it.
    public var secrets: [String] {
        (platforms.flatMap { $0.secrets }
            + [responder.gateway.apiKey ?? "", responder.subnet.password ?? "", bot.storePassword ?? ""])
            .filter { $0.count >= 4 }
    }

    /// The settings of every platform, in the order the bot starts them.
    var platforms: [any PlatformSettings] { [telegram, discord, twitter] }

    /// The store as logs and `status` name it: the SQLite path, or the PostgreSQL URL (never with a password).
    public var storeDescription: String { bot.postgres?.url ?? bot.store.path }

    public var enabledPlatforms: [Platform] {
        platforms.filter { $0.enabled }.map { type(of: $0).platform }
    }

    public var engineConfiguration: EngineConfiguration {
        EngineConfiguration(
            botName: bot.name, persona: bot.persona, maxConcurrentReplies: bot.maxConcurrentReplies,
            contextDepth: bot.contextDepth, retentionDays: bot.retentionDays,
            maxConsecutiveReplies: bot.maxConsecutiveReplies, limits: limits,
            responderDeadline: .milliseconds(Int64(responder.timeoutSeconds * 1000) * Int64(max(1, responder.order.count)) + 5000))
    }
}

extension ReplyTensorConfiguration {
    /// Every default, for the commands that work without a configuration file (`wallet`, `metagraph`).
    public static var defaults: ReplyTensorConfiguration {
        ReplyTensorConfiguration(bot: .init(store: URL(fileURLWithPath: "/dev/null")))
    }
}
