import Foundation
import Hummingbird
import ReplyTensorTestSupport

/// A loopback emulator of Discord's HTTP API v10 (under `/api/v10`): `users/@me`, `users/@me/guilds` (pages of 200
/// with `after`), guild channels (forum and media channels with posts whose starter message shares the post's id),
/// active threads, roles and members, channel messages (GET with `after`/`before`/`limit`, newest first; single
/// messages; POST with Discord's validation errors, `allowed_mentions` and `nonce` de-duplication for a few minutes),
/// typing. Per-route buckets with Discord's `X-RateLimit-*` headers, the global 50 requests/s, 429 bodies with
/// `retry_after` and `global`, and Cloudflare's IP ban (an HTML 429); the MESSAGE_CONTENT intent is off unless
/// switched on (content is then visible only for messages that mention the bot). The Gateway (WebSocket, on the same
/// port): Hello, heartbeats and ACKs, Identify/Ready, Resume with replay, GUILD_CREATE and MESSAGE_CREATE (DMs
/// included), scripted faults and the session start limit (`DiscordEmulator+Gateway`).
///
/// Tests and the sandbox drive it through its Swift API: add guilds, channels, users; `inject` messages; read
/// `sent`; queue faults on `faults`; count `violations`.
public final class DiscordEmulator: Sendable {
    public let server: EmulatorServer
    public let recorder: RequestRecorder
    /// Faults to inject (route = path suffix, e.g. `"messages"`, `"typing"`, `"channels"`).
    public let faults: FaultPlan
    /// The token of the first bot.
    public let token: String
    /// The first bot.
    public let bot: User
    let state: DiscordEmulatorState

    /// `http://127.0.0.1:PORT/api/v10`: the adapter's `api_base`.
    public var apiBase: String { server.baseURL + "/api/v10" }

    private init(server: EmulatorServer, recorder: RequestRecorder, faults: FaultPlan, token: String, bot: User,
                 state: DiscordEmulatorState) {
        self.server = server
        self.recorder = recorder
        self.faults = faults
        self.token = token
        self.bot = bot
        self.state = state
    }

    /// Starts an emulator on 127.0.0.1 with one bot.
    public static func start(token: String = "MTAwMDAwMDAwMDAwMDAwMDAx.emulator.discord-secret-token-0123",
                             botUsername: String = "ReplyTensor", faultSeed: UInt64 = 42) async throws
        -> DiscordEmulator {
        let state = DiscordEmulatorState()
        let bot = await state.addBot(token: token, username: botUsername)
        let recorder = RequestRecorder()
        let faults = FaultPlan(seed: faultSeed)
        let routes = DiscordEmulatorRoutes(state: state, recorder: recorder, faults: faults)
        let server = try await EmulatorServer.start(routes.router(), name: "discord",
                                                    server: DiscordGatewaySocket.server(state: state))
        await state.setGatewayBase("ws://\(server.host):\(server.port)")
        return DiscordEmulator(server: server, recorder: recorder, faults: faults, token: token, bot: bot, state: state)
    }

    public func stop() async { await server.stop() }

    // MARK: Setup

    /// Another bot account with its own token (for two bots talking to each other); it joins every guild.
    public func addBot(username: String, token: String) async -> User {
        await state.addBot(token: token, username: username)
    }

    @discardableResult
    public func addUser(username: String, globalName: String? = nil, bot: Bool = false) async -> User {
        await state.addUser(username: username, globalName: globalName, bot: bot)
    }

    /// A guild every bot is a member of, each with a managed role; a category and a voice channel come with it.
    @discardableResult
    public func addGuild(name: String) async -> Guild { await state.addGuild(name: name) }

    /// A text (0) or announcement (5) channel; `denyEveryone` takes permission bits away from @everyone there
    /// (`1 << 10` VIEW_CHANNEL, `1 << 11` SEND_MESSAGES, `1 << 16` READ_MESSAGE_HISTORY).
    @discardableResult
    public func addChannel(in guild: Guild, name: String, type: Int = 0, denyEveryone: UInt64 = 0) async -> Channel {
        await state.addChannel(guild: guild.id, name: name, type: type, parent: nil, denyEveryone: denyEveryone)
    }

    /// A forum (15) or media (16) channel: only posts (threads) live in it; a message cannot be sent to it directly.
    @discardableResult
    public func addForum(in guild: Guild, name: String, type: Int = 15) async -> Channel {
        await state.addChannel(guild: guild.id, name: name, type: type == 16 ? 16 : 15, parent: nil, denyEveryone: 0)
    }

    /// `user` opens a post in `forum`: a public thread (11) whose starter message has the thread's own id.
    @discardableResult
    public func addPost(in forum: Channel, title: String, content: String, from user: User) async throws
        -> (post: Channel, starter: Message) {
        try await state.addPost(forumID: forum.id, title: title, content: content, authorID: user.id)
    }

    /// An active public thread under `parent`.
    @discardableResult
    public func addThread(in parent: Channel, name: String) async -> Channel {
        await state.addChannel(guild: parent.guildID, name: name, type: 11, parent: parent.id, denyEveryone: 0)
    }

    /// Also takes the permissions away from the bot's own role (they are then gone for the bot entirely).
    public func denyBot(_ bits: UInt64, in channel: Channel, bot: User? = nil) async {
        await state.denyBot(bits, in: channel.id, botID: (bot ?? self.bot).id)
    }

    /// A plain role (for mentions of other roles).
    public func addRole(in guild: Guild, name: String) async -> String { await state.addRole(guild: guild.id, name: name) }

    /// The managed role of `bot` (default: the first bot) in `guild`.
    public func managedRole(in guild: Guild, of bot: User? = nil) async -> String? {
        await state.managedRole(of: (bot ?? self.bot).id, in: guild.id)
    }

    public func setRates(_ rates: Rates) async { await state.setRates(rates) }

    /// How long `nonce` + `enforce_nonce` de-duplicates a resend (default 3 minutes, Discord's "past few minutes");
    /// `.zero` makes every earlier nonce already forgotten, as after a long outage.
    public func setNonceWindow(_ window: Duration) async { await state.setNonceWindow(window) }

    /// Cloudflare bans this IP for `duration`: every request gets a 429 with an HTML page, no JSON body, no `Via`.
    public func banIP(for duration: Duration) async { await state.banIP(for: duration) }

    /// Creates messages at once but holds the answer to `POST /channels/{id}/messages` this long (a crash of the
    /// bot in that window leaves a message it does not know about).
    public func setPostAnswerDelay(_ delay: Duration) async { await state.setPostAnswerDelay(delay) }

    /// The next `count` messages are created, but the connection breaks before their answer (a network failure
    /// after Discord acted: the bot cannot know the message exists).
    public func dropPostAnswers(_ count: Int = 1) async { await state.dropPostAnswers(count) }

    // MARK: Inbound

    /// A user (or bot) writes in `channel`. `<@id>` and `<@&id>` in the content become `mentions` and
    /// `mention_roles`; a reply pings the replied-to author unless `pingReplied` is false. `webhook` marks the
    /// message as sent by a webhook; `type` makes system messages (e.g. 7, member join).
    @discardableResult
    public func inject(_ content: String, from user: User, in channel: Channel, replyTo: Message? = nil,
                       pingReplied: Bool = true, webhook: Bool = false, type: Int? = nil) async throws -> Message {
        try await state.inject(content: content, authorID: user.id, channelID: channel.id, replyTo: replyTo?.id,
                               pingReplied: pingReplied, webhook: webhook, type: type)
    }

    /// A message in `channel` whose JSON object (in message lists) `make` writes from the allocated id: wrong types,
    /// missing fields, gigantic content (for malformed input tests). Returns the id.
    @discardableResult
    public func injectRaw(in channel: Channel, from user: User, _ make: @escaping @Sendable (String) -> String)
        async throws -> String {
        try await state.injectRaw(channelID: channel.id, authorID: user.id, make)
    }

    /// The mention markup of a user.
    public static func mention(_ user: User) -> String { "<@\(user.id)>" }

    // MARK: What the bots did

    public var sent: [SentMessage] { get async { await state.sent } }
    public var violations: Violations { get async { await state.limits.violations } }
    /// Resends answered with the earlier message because of `nonce` + `enforce_nonce`.
    public var dedupedResends: Int { get async { await state.dedupedResends } }
    /// Typing indicators per channel id.
    public var typing: [String: Int] { get async { await state.typing } }

    /// The replies to `message` (from any bot).
    public func replies(to message: Message) async -> [SentMessage] {
        await state.sent.filter { $0.replyTo == message.id && $0.channelID == message.channelID }
    }

    /// The stored message (including bots' messages).
    public func message(_ id: String, in channel: Channel) async -> Message? { await state.find(id, in: channel.id) }

    public func waitForSent(count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(10)) { await state.sent.count >= count }
    }
}

extension DiscordEmulatorState {
    func setRates(_ rates: DiscordEmulator.Rates) { self.rates = rates }
    func setPostAnswerDelay(_ delay: Duration) { postAnswerDelay = delay }
    func dropPostAnswers(_ count: Int) { droppedPostAnswers += max(0, count) }
    func takeDroppedPostAnswer() -> Bool {
        guard droppedPostAnswers > 0 else { return false }
        droppedPostAnswers -= 1
        return true
    }
    func setNonceWindow(_ window: Duration) { nonceWindow = window.secondsValue }
    func banIP(for duration: Duration) { ipBannedUntil = Date().addingTimeInterval(duration.secondsValue) }
    func isIPBanned() -> Bool { ipBannedUntil.map { $0 > Date() } ?? false }
    func denyBot(_ bits: UInt64, in channelID: String, botID: String) {
        guard let guild = channels[channelID].flatMap({ guilds[$0.channel.guildID] }),
              let role = guild.botRoles[botID] else { return }
        channels[channelID]?.overwrites.append(Overwrite(id: role, type: 0, allow: 0, deny: bits))
        channels[channelID]?.overwrites.append(Overwrite(id: guild.guild.id, type: 0, allow: 0, deny: bits))
    }
}
