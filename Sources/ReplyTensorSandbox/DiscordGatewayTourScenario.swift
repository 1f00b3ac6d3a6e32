import Foundation
import Logging
import ReplyTensorApp
import ReplyTensorCore
import ReplyTensorEmulators

/// The Discord Gateway part of the tour: a second Discord bot, wired by the App like the first but with
/// `[discord] mode = "gateway"` and its own store, receives a direct message and a guild mention over the emulated
/// Gateway (WebSocket) and answers each once through the REST API; its own DM reply, echoed back as a
/// MESSAGE_CREATE, is left alone.
struct DiscordGatewayTourScenario {
    static let token = "MTAwMDAwMDAwMDAwMDAwMDAz.emulator.gateway-bot-token-89ab"

    func play(in world: SandboxWorld, summary: inout SandboxSummary) async throws {
        let discord = world.discord
        await world.transcript.section("Discord: a direct message over the Gateway (mode = \"gateway\")")
        let bot = await discord.addBot(username: "ReplyTensorGateway", token: Self.token)
        let erin = await discord.addUser(username: "erin", globalName: "Erin")
        let assembly = try await assemble(in: world)
        let engine = assembly.engine
        let running = Task { try await engine.run() }
        let connected = await world.wait {
            let counts = await discord.gatewayCounts
            return counts.identifies >= 1 && counts.openConnections >= 1
        }
        summary.expect("the gateway-mode bot identified on the Discord Gateway", connected)
        let dm = await discord.openDM(with: erin, bot: bot)
        let direct = try await discord.inject("what does a miner do all day?", from: erin, in: dm)
        _ = await world.wait { await !discord.replies(to: direct).isEmpty }
        let mention = try await discord.inject("<@\(bot.id)> and validators?", from: erin, in: world.discordChannel)
        _ = await world.wait { await !discord.replies(to: mention).isEmpty }
        try await Task.sleep(for: .milliseconds(1000))
        for (description, message) in [("a Discord DM is answered over the Gateway", direct),
                                       ("a guild mention is answered over the Gateway", mention)] {
            let count = await discord.replies(to: message).count
            summary.expect(description + " exactly once", count == 1, "\(count) replies")
            summary.duplicates += max(0, count - 1)
            if count == 0 { summary.lost += 1 }
        }
        let dmReplies = await discord.sent.filter { $0.botID == bot.id && $0.channelID == dm.id }
        summary.expect("the gateway bot's own DM reply (echoed by the Gateway) is not answered", dmReplies.count == 1,
                       "\(dmReplies.count) messages in the DM")
        summary.replies += await discord.sent.filter { $0.botID == bot.id }.count
        engine.shutdown()
        _ = try? await running.value
        try? await assembly.opened.close()
    }

    /// The App's wiring for the gateway-mode bot: Discord only, the gateway emulator as responder.
    private func assemble(in world: SandboxWorld) async throws -> BotAssembly {
        let text = """
            [bot]
            name = "ReplyTensor sandbox (gateway)"
            store = "sandbox-gateway.sqlite"
            persona = "You are ReplyTensor running in the sandbox."
            [responder]
            order = ["gateway"]
            timeout_seconds = 10
            [responder.gateway]
            base_url = "\(world.gateway.baseURL)"
            api_key_env = "REPLYTENSOR_SANDBOX_GATEWAY_KEY"
            model = "replytensor-emulator"
            [discord]
            enabled = true
            mode = "gateway"
            token_env = "REPLYTENSOR_SANDBOX_DISCORD_GATEWAY_TOKEN"
            api_base = "\(world.discord.apiBase)"
            [log]
            level = "critical"
            """
        let url = world.folder.appendingPathComponent("sandbox-gateway.toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        var environment = world.environment
        environment["REPLYTENSOR_SANDBOX_DISCORD_GATEWAY_TOKEN"] = Self.token
        let configuration = try ReplyTensorConfiguration.parse(text, source: url, environment: environment)
        var logger = Logger(label: "replytensor.sandbox.gateway")
        logger.logLevel = .critical
        let transcript = world.transcript
        return try await BotAssembly.make(configuration, http: HTTPClientFactory.make(configuration), logger: logger,
                                    observer: { transcript.observe($0) })
    }
}
