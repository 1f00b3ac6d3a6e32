import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The Discord adapter: REST polling of guild channels (`mode = "poll"`, the default) or events over the Gateway
/// (`mode = "gateway"`, `DiscordAdapter+Gateway`, DMs included); replies with `message_reference`, mentions disabled
/// and a `nonce` Discord de-duplicates, through the REST API in both modes.
///
/// A polling round lists every watched guild's channels and active threads (two requests per guild) and fetches
/// messages only from channels whose `last_message_id` moved past their cursor. Poll requests are spread to stay
/// within `poll_requests_per_second`; `pollingBudget` says what that costs and how long a mention may wait.
///
/// Ids: Discord ids are unique across the platform, so `InboundMessage.id` is the message id; the chat is the
/// channel (or thread). Cursors: one per channel, `channel:<id>` → the last message id seen there.
public actor DiscordAdapter: PlatformAdapter {
    public nonisolated let platform: Platform = .discord
    public nonisolated let rules: PlatformRules

    let configuration: DiscordConfiguration
    let environment: AdapterEnvironment
    let client: DiscordClient
    let limiter: DiscordRateLimiter
    var logger: Logger

    var bot: DiscordUser?
    var guilds: [String: GuildInfo] = [:]
    var channels: [String: ChannelInfo] = [:]
    var lastDiscovery: ContinuousClock.Instant?
    /// Channels answering 403/404, left alone until the next discovery.
    var muted: [String: ContinuousClock.Instant] = [:]
    var nextPollSlot: ContinuousClock.Instant?
    var startSnowflake: String?
    var lastReportedBudget: DiscordPollingBudget?
    /// Nonce → when a post with it was first tried in this run (until it succeeds).
    var nonceAttempts: [String: Date] = [:]
    /// Gateway mode: the connection loop, whether a REST catch-up is due, and an error to throw at the next poll.
    var gateway: DiscordGateway?
    var needsCatchUp = false
    var pendingGatewayError: BotError?
    var lastGatewayReport: (status: DiscordGatewayStatus, at: ContinuousClock.Instant)?
    var lastGatewayActivity: ContinuousClock.Instant?
    var lastActivityRecord: ContinuousClock.Instant?
    /// The Gateway's status at the last poll (gateway mode).
    public internal(set) var gatewayStatus: DiscordGatewayStatus?
    /// The current polling budget (nil before the first round).
    public private(set) var pollingBudget: DiscordPollingBudget?

    /// Cursor scope prefix of a channel.
    public static func cursorScope(_ channelID: String) -> String { "channel:\(channelID)" }
    /// Messages per page (the API's maximum) and pages fetched per channel in one round.
    static let pageSize = 100
    static let pagesPerRound = 5
    /// State key of the snowflake of the first round: channels created later are read from their creation.
    static let startKey = "poll.started_at_id"
    /// State key of when the last polling round ended (seconds since 1970): a restart waits Discord's windows out.
    static let activeKey = "poll.active_at"
    /// Discord's per-route windows are a few seconds; a round of requests may follow the last record by about two.
    static let restartQuiet: TimeInterval = 7

    struct GuildInfo: Sendable {
        var id: String
        var name: String
        var managedRole: String?
        var roleNames: [String: String] = [:]
        var rolePermissions: [String: DiscordPermissions] = [:]
        var memberRoles: [String] = []
    }

    struct ChannelInfo: Sendable {
        var id: String
        var guildID: String
        var name: String
        var type: Int
        var parentID: String?
        var lastMessageID: String?
        var overwrites: [DiscordOverwrite]
        var isThread: Bool { [10, 11, 12].contains(type) }
    }

    public init(configuration: DiscordConfiguration, environment: AdapterEnvironment) {
        self.configuration = configuration
        self.environment = environment
        var logger = environment.logger
        logger[metadataKey: "platform"] = "discord"
        self.logger = logger
        let limiter = DiscordRateLimiter(globalPerSecond: configuration.globalRequestsPerSecond,
                                         softLimit: configuration.invalidRequestSoftLimit,
                                         hardLimit: configuration.invalidRequestHardLimit)
        self.limiter = limiter
        self.client = DiscordClient(configuration: configuration, http: environment.http, limiter: limiter,
                                    logger: logger, recordHold: Self.holdRecorder(environment),
                                    sharedStore: environment.isSharedStore,
                                    sharedGlobal: environment.isSharedStore
                                        ? DiscordSharedGlobalLimit(state: environment.state,
                                                                   limit: configuration.globalRequestsPerSecond,
                                                                   now: environment.now)
                                        : nil)
        self.rules = PlatformRules(
            length: .codePoints(2000), overflow: .split, maxParts: configuration.maxParts,
            typingInterval: .seconds(8),
            // Discord's message bucket is 5 per 5 s per channel; the limiter follows the real headers as well. The
            // global limit: "All bots can make up to 50 requests per second to our API"
            // (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit). As send rules the engine
            // counts both for every replica together when several share the store.
            sendRules: [SendRule(.chat, limit: 5, per: .seconds(5)), SendRule(.global, limit: 50, per: .seconds(1))],
            // `nonce` + `enforce_nonce`: Discord returns the earlier message for a resend "in the past few minutes".
            idempotentPost: true, idempotencyWindow: configuration.nonceResendWindow)
    }

    // MARK: Identity

    /// `GET /users/@me`, then the guilds; `extras["roles"]` lists the bot's managed role ids.
    public func identity() async throws -> BotIdentity {
        try await restoreBanHold()
        try await waitOutPreviousRun()
        try await recordActivity()  // a crash from here on leaves requests the next run must wait out
        let user = try await client.get("/users/@me", as: DiscordUser.self)
        bot = user
        do {
            // Guilds and the bot's managed roles (for role mentions); the polling rounds retry on failure.
            try await discover()
        } catch let error as BotError where error.endsRound {
            throw error
        } catch {
            logger.warning("guild discovery failed; retrying with the first poll", metadata: ["error": "\(error)"])
        }
        try await recordActivity()
        return BotIdentity(platform: .discord, id: user.id, handle: user.username, displayName: user.globalName,
                           extras: ["roles": guilds.values.compactMap(\.managedRole).sorted().joined(separator: ",")])
    }

    /// Bucket counts live in memory: after a crash the next run cannot know how full the last run left them, so it
    /// waits until they have certainly refilled (a few seconds) instead of sending into an exhausted bucket.
    private func waitOutPreviousRun() async throws {
        guard let stored = try await environment.state.value(Self.activeKey, for: .discord),
              let last = Double(stored) else { return }
        let wait = last + Self.restartQuiet - environment.now().timeIntervalSince1970
        guard wait > 0, wait <= Self.restartQuiet else { return }
        logger.notice("the last run was active moments ago; waiting for Discord's rate-limit windows to refill",
                      metadata: ["wait_seconds": "\(String(format: "%.1f", wait))"])
        try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
    }

    /// Notes that requests went out just now (the next run waits `restartQuiet` from here).
    func recordActivity() async throws {
        try await environment.state.setValue(String(environment.now().timeIntervalSince1970), for: Self.activeKey,
                                             platform: .discord, at: environment.now())
    }

    func knownBot() async throws -> DiscordUser {
        if let bot { return bot }
        _ = try await identity()
        return bot!
    }

    /// Total 401/403/429 answers so far and in the last 10 minutes.
    public var invalidRequests: (total: Int, lastTenMinutes: Int) {
        get async { (await limiter.invalidTotal, await limiter.snapshot.invalidInWindow) }
    }

    // MARK: Polling

    public func poll(cursors: [String: String]) async throws -> PollPage {
        if configuration.mode == .gateway { return try await gatewayPoll(cursors: cursors) }
        let bot = try await knownBot()
        let started = ContinuousClock.now
        try await loadStartSnowflake()
        if lastDiscovery.map({ ContinuousClock.now - $0 >= configuration.discoveryInterval }) ?? true {
            try await discover()
        }
        var page = PollPage()
        for guild in guilds.values.sorted(by: { $0.id < $1.id }) {
            do {
                try await list(guild)
            } catch let error as BotError where error.endsRound {
                throw error
            } catch {
                logger.warning("listing a guild's channels failed; using what is known",
                               metadata: ["discord.guild_id": "\(guild.id)", "error": "\(error)"])
                if case let error as BotError = error, error.code == .decoding {
                    page.rejected.append(RejectedInput(reason: "malformed channel list", detail: error.message))
                }
            }
        }
        let addressing = addressing(botID: bot.id)
        var requests = 2 * guilds.count
        for channel in channels.values.sorted(by: { $0.id < $1.id }) {
            let scope = Self.cursorScope(channel.id)
            guard let cursor = cursors[scope] else {
                page.cursorUpdates[scope] = firstCursor(for: channel)
                continue
            }
            guard let last = channel.lastMessageID, DiscordSnowflake.isAfter(last, cursor) else { continue }
            if let until = muted[channel.id], until > ContinuousClock.now { continue }
            do {
                let (messages, newCursor, rejected, used) = try await fetch(channel, after: cursor,
                                                                            addressing: addressing)
                requests += used
                page.messages += messages
                page.rejected += rejected
                if newCursor != cursor { page.cursorUpdates[scope] = newCursor }
            } catch let error as BotError where error.endsRound {
                throw error
            } catch let error as BotError where error.code == .forbidden || error.httpStatus == 404 {
                muted[channel.id] = ContinuousClock.now + configuration.discoveryInterval
                logger.warning("cannot read a channel; leaving it until the next discovery",
                               metadata: ["discord.channel_id": "\(channel.id)", "error": "\(error)"])
            } catch let error as BotError where error.code == .decoding {
                page.rejected.append(RejectedInput(reason: "malformed message page", detail: error.message))
                logger.warning("malformed message page skipped; cursor kept",
                               metadata: ["discord.channel_id": "\(channel.id)", "error": "\(error)"])
            } catch {
                logger.warning("fetching a channel failed; cursor kept",
                               metadata: ["discord.channel_id": "\(channel.id)", "error": "\(error)"])
            }
        }
        page.messages.sort { DiscordSnowflake.isAfter($1.id, $0.id) }
        try await report(budget())
        let elapsed = ContinuousClock.now - started
        page.nextPollDelay = max(.zero, configuration.pollInterval - elapsed)
        try await recordActivity()
        logger.trace("poll round", metadata: ["requests": "\(requests)", "messages": "\(page.messages.count)",
                                              "elapsed": "\(elapsed)"])
        return page
    }

    /// Where a channel seen for the first time starts: "now" for channels that existed at the first round, the
    /// channel's creation for channels (and threads) that appeared later, so their first messages are not missed.
    /// A forum or media post is a thread whose starter message has the thread's own id: a new thread starts just
    /// below its id, since `after=` leaves out the id it names.
    func firstCursor(for channel: ChannelInfo) -> String {
        if let start = startSnowflake, DiscordSnowflake.isAfter(channel.id, start) {
            return channel.isThread ? DiscordSnowflake.below(channel.id) : channel.id
        }
        // An empty channel starts from its creation: nothing before it, nothing missed after the listing.
        return channel.lastMessageID.map { DiscordSnowflake.max($0, channel.id) } ?? channel.id
    }

    /// Waits for the next slot of the polling budget.
    func paced() async throws {
        let now = ContinuousClock.now
        let slot = max(now, nextPollSlot ?? now)
        nextPollSlot = slot + .milliseconds(Int64(1000 / configuration.pollRequestsPerSecond))
        if slot > now { try await Task.sleep(for: slot - now) }
    }

    /// Pages of new messages of one channel, oldest first; the next cursor covers every message seen (addressed,
    /// ignored or malformed).
    func fetch(_ channel: ChannelInfo, after cursor: String, addressing: DiscordAddressing) async throws
        -> ([InboundMessage], String, [RejectedInput], Int) {
        var cursor = cursor
        var messages: [InboundMessage] = []
        var reader = client.messagesReader()
        var used = 0
        for _ in 0..<Self.pagesPerRound {
            try await paced()
            used += 1
            let path = "/channels/\(channel.id)/messages"
            let slots = try await client.get(path, query: [("after", cursor), ("limit", "\(Self.pageSize)")],
                                             as: [LenientElement<DiscordMessage>].self)
            var highest = cursor
            for slot in slots {
                switch slot {
                case .value(let message):
                    highest = DiscordSnowflake.max(highest, message.id)
                    if let inbound = inbound(message, channel: channel, addressing: addressing) {
                        messages.append(inbound)
                    }
                case .invalid(let id, let error):
                    if let id { highest = DiscordSnowflake.max(highest, id) }
                    reader.skip(id: id, reason: DiscordCoding.describe(error))
                }
            }
            cursor = highest
            // Pages come newest first even with `after`: a full page means more may follow the newest one seen.
            if slots.count < Self.pageSize { break }
        }
        return (messages, cursor, reader.rejected, used)
    }

    /// The message as an inbound mention, or nil when it is not addressed to the bot. In a DM (channel type 1)
    /// every default or reply message is.
    func inbound(_ message: DiscordMessage, channel: ChannelInfo, addressing: DiscordAddressing) -> InboundMessage? {
        if channel.type == 1 { return direct(message, addressing: addressing) }
        guard let kind = addressing.kind(of: message) else { return nil }
        var replyTo: MessageRef?
        if let parent = message.referencedMessage {
            replyTo = MessageRef(id: parent.id, author: addressing.author(parent), text: addressing.render(parent))
        } else if message.type == 19, let parentID = message.messageReference?.messageId {
            replyTo = MessageRef(id: parentID)
        }
        var extras = ["channel_id": message.channelId]
        if let guild = message.guildId ?? Optional(channel.guildID) { extras["guild_id"] = guild }
        return InboundMessage(
            platform: .discord, id: message.id, platformMessageID: message.id,
            chat: ChatRef(id: message.channelId, kind: channel.isThread ? .thread : .group,
                          threadID: channel.isThread ? channel.id : nil, title: channel.name),
            author: addressing.author(message), text: addressing.render(message), addressedAs: kind,
            replyTo: replyTo, createdAt: DiscordSnowflake.date(message.id) ?? environment.now(), extras: extras)
    }

    func direct(_ message: DiscordMessage, addressing: DiscordAddressing) -> InboundMessage? {
        guard message.type == 0 || message.type == 19 else { return nil }
        var replyTo: MessageRef?
        if let parent = message.referencedMessage {
            replyTo = MessageRef(id: parent.id, author: addressing.author(parent), text: addressing.render(parent))
        }
        return InboundMessage(
            platform: .discord, id: message.id, platformMessageID: message.id,
            chat: ChatRef(id: message.channelId, kind: .direct, title: message.author.username),
            author: addressing.author(message), text: addressing.render(message), addressedAs: .direct,
            replyTo: replyTo, createdAt: DiscordSnowflake.date(message.id) ?? environment.now(),
            extras: ["channel_id": message.channelId])
    }

    func addressing(botID: String) -> DiscordAddressing {
        var roles: [String: String] = [:]
        var names: [String: String] = [:]
        var managed: [String: String] = [:]
        for guild in guilds.values {
            roles.merge(guild.roleNames) { first, _ in first }
            if let role = guild.managedRole { managed[guild.id] = role }
        }
        for channel in channels.values { names[channel.id] = channel.name }
        return DiscordAddressing(botID: botID, managedRoles: managed, roleNames: roles, channelNames: names)
    }

    func budget() -> DiscordPollingBudget {
        DiscordPollingBudget.estimate(guilds: guilds.count, channels: channels.count,
                                      interval: configuration.pollInterval,
                                      requestsPerSecond: configuration.pollRequestsPerSecond,
                                      discoveryEvery: configuration.discoveryInterval)
    }

    /// Keeps the budget in the adapter state, where `replytensor status` shows it.
    func report(_ budget: DiscordPollingBudget) async throws {
        pollingBudget = budget
        guard budget != lastReportedBudget else { return }
        for (key, value) in budget.stateValues {
            try await environment.state.setValue(value, for: key, platform: .discord, at: environment.now())
        }
        if lastReportedBudget?.worstCaseWait != budget.worstCaseWait {
            logger.info("polling budget", metadata: ["discord.channels": "\(budget.channels)",
                                                     "requests_per_round": "\(budget.requestsPerRound)",
                                                     "mention_wait": "\(budget.worstCaseWait)"])
        }
        lastReportedBudget = budget
    }
}
