import DiscordPlatform
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators

enum DiscordTest {
    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    /// `shared`: as one of several replicas sharing `state` (`AdapterEnvironment.isSharedStore`).
    static func environment(state: any AdapterStateStore & TokenStore = InMemoryStore(), shared: Bool = false)
        -> AdapterEnvironment {
        var logger = Logger(label: "test.discord")
        logger.logLevel = .critical
        return AdapterEnvironment(http: http(), state: state, logger: logger, isSharedStore: shared)
    }

    static func configuration(_ emulator: DiscordEmulator, token: String? = nil, channels: [String] = [],
                              guilds: [String] = [], rate: Double = 50) -> DiscordConfiguration {
        DiscordConfiguration(token: token ?? emulator.token, apiBase: emulator.apiBase, guilds: guilds,
                             channels: channels, pollInterval: .milliseconds(50), pollRequestsPerSecond: rate)
    }

    /// The engine with one Discord adapter on `store`: no policy limits, context depth 2, the echo responder.
    static func engine(_ adapter: DiscordAdapter, store: InMemoryStore, label: String) -> Engine {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        return Engine(
            configuration: EngineConfiguration(contextDepth: 2,
                                               limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0,
                                                                    dailyReplies: 0)),
            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [], logger: logger)
    }

    static func adapter(_ emulator: DiscordEmulator, token: String? = nil, channels: [String] = [],
                        state: any AdapterStateStore & TokenStore = InMemoryStore(), rate: Double = 50,
                        shared: Bool = false) -> DiscordAdapter {
        DiscordAdapter(configuration: configuration(emulator, token: token, channels: channels, rate: rate),
                       environment: environment(state: state, shared: shared))
    }

    /// Polls until the page's cursors are stored, like the engine does; returns all messages seen.
    static func poll(_ adapter: DiscordAdapter, cursors: inout [String: String], rounds: Int = 1) async throws
        -> [InboundMessage] {
        var messages: [InboundMessage] = []
        for _ in 0..<rounds {
            let page = try await adapter.poll(cursors: cursors)
            messages += page.messages
            cursors.merge(page.cursorUpdates) { _, new in new }
        }
        return messages
    }

    /// A guild with one text channel, a user, the adapter, and the first round done (cursors start from "now").
    struct World {
        let emulator: DiscordEmulator
        let guild: DiscordEmulator.Guild
        let channel: DiscordEmulator.Channel
        let alice: DiscordEmulator.User
        let adapter: DiscordAdapter
        var cursors: [String: String]
    }

    static func world(shared: Bool = false) async throws -> World {
        let emulator = try await DiscordEmulator.start()
        let guild = await emulator.addGuild(name: "Subnet friends")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let alice = await emulator.addUser(username: "alice", globalName: "Alice")
        let adapter = adapter(emulator, shared: shared)
        _ = try await adapter.identity()
        var cursors: [String: String] = [:]
        _ = try await poll(adapter, cursors: &cursors)
        return World(emulator: emulator, guild: guild, channel: channel, alice: alice, adapter: adapter,
                     cursors: cursors)
    }
}
