import Foundation
import ReplyTensorApp
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// The emulators, a store in a temporary folder, and the real bot (configuration → wiring → engine) running
/// against them. Everything binds 127.0.0.1.
public final class SandboxWorld: Sendable {
    let folder: URL
    let telegram: TelegramEmulator
    let twitter: TwitterEmulator
    let discord: DiscordEmulator
    let discordGuild: DiscordEmulator.Guild
    let discordChannel: DiscordEmulator.Channel
    let discordChannels: [DiscordEmulator.Channel]
    let gateway: GatewayEmulator
    let subnet: SandboxSubnet
    let answers: SandboxAnswers
    /// The bot's configuration file (secrets by environment variable name) and the variables it needs.
    let configText: String
    let environment: [String: String]
    let assembly: BotAssembly
    let transcript: SandboxTranscript
    private let engineTask: Task<Void, any Error>?

    private init(folder: URL, telegram: TelegramEmulator, twitter: TwitterEmulator, discord: DiscordEmulator,
                 discordGuild: DiscordEmulator.Guild, discordChannels: [DiscordEmulator.Channel], gateway: GatewayEmulator,
                 subnet: SandboxSubnet, answers: SandboxAnswers, configText: String, environment: [String: String],
                 assembly: BotAssembly, transcript: SandboxTranscript, engineTask: Task<Void, any Error>?) {
        self.folder = folder
        self.telegram = telegram
        self.twitter = twitter
        self.discord = discord
        self.discordGuild = discordGuild
        self.discordChannel = discordChannels[0]
        self.discordChannels = discordChannels
        self.gateway = gateway
        self.subnet = subnet
        self.answers = answers
        self.configText = configText
        self.environment = environment
        self.assembly = assembly
        self.transcript = transcript
        self.engineTask = engineTask
    }

    /// Starts the emulators and the local subnet; `runEngine: false` leaves the bot to a child process.
    public static func start(transcript: SandboxTranscript, runEngine: Bool = true) async throws -> SandboxWorld {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replytensor-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let telegram = try await TelegramEmulator.start()
        let gateway = try await GatewayEmulator.start()
        let twitter = try await TwitterEmulator.start()
        await twitter.setRateLimit(.mentions, limit: 60, windowSeconds: 15)
        let discord = try await DiscordEmulator.start()
        let discordGuild = await discord.addGuild(name: "Bittensor builders")
        var discordChannels = [await discord.addChannel(in: discordGuild, name: "general")]
        for index in 1...9 { discordChannels.append(await discord.addChannel(in: discordGuild, name: "lounge-\(index)")) }
        let answers = SandboxAnswers()
        await gateway.setAnswer { answers.answer($0.messages.map(\.content), label: "gateway-emulator") }
        let subnet = try await SandboxSubnet.start(folder: folder, answers: answers)
        introduce(telegram: telegram, discord: discord, twitter: twitter, gateway: gateway, subnet: subnet,
                  folder: folder, to: transcript)
        let text = configText(telegram: telegram, discord: discord, twitter: twitter, gateway: gateway, subnet: subnet)
        let configURL = folder.appendingPathComponent("sandbox.toml")
        try text.write(to: configURL, atomically: true, encoding: .utf8)
        let environment = [
            "REPLYTENSOR_SANDBOX_GATEWAY_KEY": gateway.apiKey, "REPLYTENSOR_SANDBOX_TELEGRAM_TOKEN": telegram.token,
            "REPLYTENSOR_SANDBOX_X_KEY": twitter.consumerKey, "REPLYTENSOR_SANDBOX_X_SECRET": twitter.consumerSecret,
            "REPLYTENSOR_SANDBOX_X_TOKEN": twitter.accessToken,
            "REPLYTENSOR_SANDBOX_X_TOKEN_SECRET": twitter.accessTokenSecret,
            "REPLYTENSOR_SANDBOX_DISCORD_TOKEN": discord.token,
        ]
        let configuration = try ReplyTensorConfiguration.parse(text, source: configURL, environment: environment)
        var logger = Logger(label: "replytensor.sandbox")
        logger.logLevel = .critical
        let assembly = try await BotAssembly.make(configuration, http: HTTPClientFactory.make(configuration), logger: logger,
                                            observer: { transcript.observe($0) })
        let engine = assembly.engine
        let task: Task<Void, any Error>? = runEngine ? Task { try await engine.run() } : nil
        return SandboxWorld(folder: folder, telegram: telegram, twitter: twitter, discord: discord,
                            discordGuild: discordGuild, discordChannels: discordChannels, gateway: gateway,
                            subnet: subnet, answers: answers, configText: text, environment: environment,
                            assembly: assembly, transcript: transcript, engineTask: task)
    }

    /// The transcript's opening: where each emulator and miner listens.
    static func introduce(telegram: TelegramEmulator, discord: DiscordEmulator, twitter: TwitterEmulator,
                          gateway: GatewayEmulator, subnet: SandboxSubnet, folder: URL, to transcript: SandboxTranscript) {
        transcript.say("ReplyTensor sandbox — everything below runs on 127.0.0.1; nothing leaves this machine.")
        transcript.say("  Telegram Bot API emulator  \(telegram.apiBase)")
        transcript.say("  Discord HTTP API emulator  \(discord.apiBase)")
        transcript.say("  X API v2 emulator          \(twitter.apiBase)")
        transcript.say("  local subtensor (JSON-RPC) \(subnet.subtensor.url)  netuid \(SandboxSubnet.netuid), bot hotkey \(subnet.botHotkey)")
        for miner in subnet.miners {
            transcript.say("    miner uid \(miner.uid)  \(miner.axon.target.authority)  \(miner.behaviour)")
        }
        transcript.say("  OpenAI-compatible gateway  \(gateway.baseURL)  (fallback; deterministic answers labelled [gateway-emulator])")
        transcript.say("  answers come from the deterministic local responder: [\(SandboxSubnet.label)] or [gateway-emulator]")
        transcript.say("  store                      \(folder.appendingPathComponent("sandbox.sqlite").path)")
    }

    /// The bot's configuration file: every platform on its emulator, the local subnet first, the gateway as fallback
    /// (secrets by environment variable name).
    static func configText(telegram: TelegramEmulator, discord: DiscordEmulator, twitter: TwitterEmulator,
                           gateway: GatewayEmulator, subnet: SandboxSubnet) -> String {
        """
            [bot]
            name = "ReplyTensor sandbox"
            store = "sandbox.sqlite"
            persona = "You are ReplyTensor running in the sandbox."
            max_concurrent_replies = 8
            [limits]
            per_user_per_hour = 50
            per_chat_per_minute = 30
            daily_replies = 0
            [responder]
            order = ["subnet", "gateway"]
            timeout_seconds = 10
            \(subnet.configSection)
            [responder.gateway]
            base_url = "\(gateway.baseURL)"
            api_key_env = "REPLYTENSOR_SANDBOX_GATEWAY_KEY"
            model = "replytensor-emulator"
            stream = true
            [telegram]
            enabled = true
            token_env = "REPLYTENSOR_SANDBOX_TELEGRAM_TOKEN"
            api_base = "\(telegram.apiBase)"
            poll_timeout_seconds = 10
            [twitter]
            enabled = true
            api_base = "\(twitter.apiBase)"
            auth = "oauth1"
            consumer_key_env = "REPLYTENSOR_SANDBOX_X_KEY"
            consumer_secret_env = "REPLYTENSOR_SANDBOX_X_SECRET"
            access_token_env = "REPLYTENSOR_SANDBOX_X_TOKEN"
            access_token_secret_env = "REPLYTENSOR_SANDBOX_X_TOKEN_SECRET"
            daily_post_budget = 1000
            [discord]
            enabled = true
            token_env = "REPLYTENSOR_SANDBOX_DISCORD_TOKEN"
            api_base = "\(discord.apiBase)"
            poll_interval_seconds = 0.3
            poll_requests_per_second = 20
            [plugins]
            enabled = ["commands", "blocklist", "mention-safety"]
            [plugins.blocklist]
            users = ["@spammer"]
            [log]
            level = "critical"
            """
    }

    /// Stops the bot gracefully, then the emulators.
    public func stop() async {
        assembly.engine.shutdown()
        _ = try? await engineTask?.value
        try? await assembly.opened.close()
        await telegram.stop()
        await twitter.stop()
        await discord.stop()
        await gateway.stop()
        await subnet.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Waits until `condition` holds or `timeout` passes.
    func wait(timeout: Duration = .seconds(15), _ condition: () async -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(20), condition)
    }
}
