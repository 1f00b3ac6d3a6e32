import Foundation
import ReplyTensorCore

/// The whole configuration file, read per CONTRACT.md. Every key has a default; secrets come only from
/// `*_env`/`*_file`; relative paths are relative to the file.
public struct ReplyTensorConfiguration: Sendable {
    public struct Bot: Sendable {
        public var name = "ReplyTensor"
        public var persona = "You are ReplyTensor, a concise and friendly assistant answering on social media."
        public var store: URL
        public var maxConcurrentReplies = 8
        public var contextDepth = 4
        public var retentionDays = 30
        public var maxConsecutiveReplies = 5
        public var shutdownGraceSeconds = 20.0
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
    }

    public struct Gateway: Sendable {
        public var baseURL = ""
        public var apiKey: String?
        public var authHeader = "bearer"
        public var model = ""
        public var stream = true
        public var maxRetries = 2
    }

    public struct Telegram: Sendable {
        public var enabled = false
        public var token = ""
        public var apiBase = "https://api.telegram.org"
        public var pollTimeoutSeconds = 30
        public var maxParts = 4
        public var deleteWebhook = false
    }

    public struct Discord: Sendable {
        public var enabled = false
        public var token = ""
        public var apiBase = "https://discord.com/api/v10"
        public var guilds: [String] = []
        public var channels: [String] = []
        public var pollIntervalSeconds = 5.0
        public var pollRequestsPerSecond = 2.0
        public var maxParts = 4
    }

    public struct Twitter: Sendable {
        public var enabled = false
        public var apiBase = "https://api.x.com"
        public var auth = "oauth1"
        public var consumerKey = ""
        public var consumerSecret = ""
        public var accessToken = ""
        public var accessTokenSecret = ""
        public var clientID = ""
        public var clientSecret = ""
        public var refreshToken = ""
        public var pollIntervalSeconds = 0.0
        public var dailyPostBudget = 50
        public var threadReplies = false
        public var backfillOnFirstRun = false
        public var reconcilePosting = false
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
    public var limits = PolicyLimits()
    public var responder = Responder()
    public var telegram = Telegram()
    public var discord = Discord()
    public var twitter = Twitter()
    public var enabledPlugins = ["commands", "blocklist", "mention-safety"]
    public var pluginOptions: [String: [String: PluginOption]] = [:]
    public var log = Log()
    public var metrics = Metrics()
    public var httpProxy = ""
    /// The configuration file this was read from (nil for defaults).
    public var source: URL?

    /// Everything that holds a secret, so logs and errors can redact it.
    public var secrets: [String] {
        [telegram.token, discord.token, twitter.consumerKey, twitter.consumerSecret, twitter.accessToken,
         twitter.accessTokenSecret, twitter.clientSecret, twitter.refreshToken, responder.gateway.apiKey ?? "",
         responder.subnet.password ?? ""].filter { $0.count >= 4 }
    }

    public var enabledPlatforms: [Platform] {
        var platforms: [Platform] = []
        if telegram.enabled { platforms.append(.telegram) }
        if discord.enabled { platforms.append(.discord) }
        if twitter.enabled { platforms.append(.twitter) }
        return platforms
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
