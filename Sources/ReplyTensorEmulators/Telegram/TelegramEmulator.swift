import Foundation
import Hummingbird
import ReplyTensorTestSupport

/// A loopback emulator of the Telegram Bot API (`/bot<token>/<method>`): `getMe`, `getUpdates` with real long
/// polling and offset confirmation, `sendMessage` and `sendChatAction` with Telegram's validation errors and send
/// limits, `setWebhook`/`deleteWebhook`/`getWebhookInfo`. Parameters are accepted as a query string, a form body or
/// a JSON body, like the real API.
///
/// Tests and the sandbox drive it through its Swift API: add users and chats, `inject` messages as users would
/// write them (entities for `@mentions` and `/commands` are computed), read `sent`, wait with `waitForSent`,
/// inspect `recorder`, queue faults on `faults`, count `violations`.
public final class TelegramEmulator: Sendable {
    /// The server; `apiBase` is what the adapter's `api_base` should be.
    public let server: EmulatorServer
    /// Every request received, with the status answered.
    public let recorder: RequestRecorder
    /// Faults to inject (route = method name, e.g. `"sendMessage"`).
    public let faults: FaultPlan
    /// The token the emulator accepts.
    public let token: String
    /// The bot (as `getMe` returns it).
    public let bot: User
    let state: TelegramEmulatorState

    /// `http://127.0.0.1:PORT`: the `api_base` for the adapter.
    public var apiBase: String { server.baseURL }
    /// A send this soon after a 429 for its scope was already in flight when the 429 left: not a violation.
    public static let inFlightGrace: Duration = .milliseconds(250)

    private init(server: EmulatorServer, recorder: RequestRecorder, faults: FaultPlan, token: String, bot: User,
                 state: TelegramEmulatorState) {
        self.server = server
        self.recorder = recorder
        self.faults = faults
        self.token = token
        self.bot = bot
        self.state = state
    }

    /// Starts an emulator on 127.0.0.1 for one bot.
    /// - Parameters:
    ///   - canReadAllGroupMessages: false emulates privacy mode in `getMe`.
    ///   - firstUpdateID: the first update's id; nil draws it at random, as a Bot API server does for a new queue,
    ///     so two emulators (a cloud and a local server) have unrelated id spaces.
    public static func start(token: String = "7000000001:AAE-emulator-secret-token-0123456789",
                             botID: Int64 = 7_000_000_001, botUsername: String = "ReplyTensorBot",
                             botName: String = "ReplyTensor", canReadAllGroupMessages: Bool = true,
                             firstUpdateID: Int64? = nil, faultSeed: UInt64 = 42) async throws -> TelegramEmulator {
        var bot = User(id: botID, isBot: true, firstName: botName, username: botUsername)
        bot.canJoinGroups = true
        bot.canReadAllGroupMessages = canReadAllGroupMessages
        bot.supportsInlineQueries = false
        let state = TelegramEmulatorState(token: token, bot: bot, firstUpdateID: firstUpdateID)
        let recorder = RequestRecorder()
        let faults = FaultPlan(seed: faultSeed)
        let routes = TelegramEmulatorRoutes(state: state, recorder: recorder, faults: faults)
        let server = try await EmulatorServer.start(routes.router(), name: "telegram")
        return TelegramEmulator(server: server, recorder: recorder, faults: faults, token: token, bot: bot,
                                state: state)
    }

    public func stop() async { await server.stop() }

    // MARK: Users and chats

    /// Adds a user (and its private chat with the bot, whose id is the user's id).
    @discardableResult
    public func addUser(username: String?, firstName: String = "User", lastName: String? = nil,
                        isBot: Bool = false, id: Int64? = nil) async -> User {
        await state.addUser(id: id, username: username, firstName: firstName, lastName: lastName, isBot: isBot)
    }

    /// The private chat between `user` and the bot.
    public func privateChat(with user: User) -> Chat {
        Chat(id: user.id, type: .private, username: user.username, firstName: user.firstName)
    }

    /// Adds a group the bot is a member of (a basic group, a supergroup, or a forum supergroup with topics).
    @discardableResult
    public func addGroup(title: String, supergroup: Bool = false, forum: Bool = false) async -> Chat {
        await state.addGroup(title: title, supergroup: supergroup, forum: forum, id: nil)
    }

    /// Adds a channel.
    @discardableResult
    public func addChannel(title: String, username: String? = nil) async -> Chat {
        await state.addChannel(title: title, username: username)
    }

    /// Creates a forum topic and returns its `message_thread_id`. `createdBy` nil: the bot created it
    /// (`createForumTopic`), so its creation message — which every message in the topic implicitly replies to — is
    /// the bot's.
    public func addTopic(in chat: Chat, name: String = "Topic", createdBy creator: User? = nil) async throws -> Int64 {
        try await state.addTopic(in: chat.id, name: name, creatorID: creator?.id)
    }

    /// The user blocks (or unblocks) the bot: sends to the private chat answer 403.
    public func setBlocked(_ user: User, _ blocked: Bool = true) async { await state.setBlocked(user.id, blocked) }

    /// The bot is removed from (or re-added to) a group: sends answer 403.
    public func setKicked(from chat: Chat, _ kicked: Bool = true) async { await state.setKicked(chat.id, kicked) }

    /// Upgrades a basic group to a supergroup: sends to the old id answer 400 with `migrate_to_chat_id`.
    public func upgradeToSupergroup(_ chat: Chat) async throws -> Chat {
        try await state.upgradeToSupergroup(chat.id)
    }

    /// Sets (or with `nil` removes) a webhook: `getUpdates` then answers 409.
    public func setWebhook(_ url: String?) async { await state.setWebhook(url) }

    // MARK: Inbound messages

    /// A user writes a message (or a media caption) in `chat` (default: the private chat with the bot).
    /// Without `entities`, `mention` entities are computed for every `@username` and `bot_command` entities for
    /// `/commands`, with UTF-16 offsets like Telegram's.
    @discardableResult
    public func inject(text: String, from user: User, in chat: Chat? = nil, replyTo: Message? = nil,
                       threadID: Int64? = nil, asCaption: Bool = false, entities: [Entity]? = nil) async throws
        -> Message {
        let chat = chat ?? privateChat(with: user)
        return try await state.inject(text: text, from: user.id, chatID: chat.id, replyTo: replyTo?.messageId,
                                      threadID: threadID, asCaption: asCaption,
                                      entities: entities ?? Self.entities(in: text))
    }

    /// Queues an update whose JSON `make` writes from the allocated update id (for malformed input tests).
    @discardableResult
    public func injectRawUpdate(_ make: @escaping @Sendable (Int64) -> String) async -> Int64 {
        await state.injectRaw(make)
    }

    /// Telegram forgets the bot's update queue — after a week without updates, or as another Bot API server (cloud
    /// vs local) — and picks a new starting `update_id`: `nextID`, or at random below the ids so far when nil.
    /// Pending updates go (they wait at most 24 h anyway).
    public func resetUpdateIDs(to nextID: Int64? = nil) async { await state.resetUpdateIDs(to: nextID) }

    /// Updates not yet confirmed by an offset.
    public var pendingUpdateCount: Int { get async { await state.pendingUpdateCount } }
    /// The id the next update gets.
    public var nextUpdateID: Int64 { get async { await state.nextUpdateID } }
    /// The `offset` of the last `getUpdates` that confirmed updates (one the queue could place; an offset "in the
    /// future" confirms nothing).
    public var confirmedOffset: Int64 { get async { await state.lastConfirmedOffset } }
    /// How many `getUpdates` overlapped an earlier one (which then got 409).
    public var conflicts: Int { get async { await state.conflicts } }
    /// How many times `deleteWebhook` was called.
    public var deleteWebhookCalls: Int { get async { await state.deleteWebhookCalls } }
    /// The webhook URL, if one is set.
    public var webhookURL: String? { get async { await state.webhookURL } }

    // MARK: What the bot did

    /// Every message the bot sent, in order.
    public var sent: [SentMessage] { get async { await state.sent } }
    /// Every chat action the bot sent.
    public var chatActions: [ChatAction] { get async { await state.actions } }
    /// Sends that broke the limits.
    public var violations: Violations { get async { await state.violations } }
    /// A line per retry_after violation: scope and timing.
    public var violationDetails: [String] { get async { await state.violationDetails } }

    /// The bot's replies to `message`.
    public func replies(to message: Message) async -> [SentMessage] {
        await state.sent.filter { $0.chatID == message.chat.id && $0.replyToMessageID == message.messageId }
    }

    /// Waits until the bot has sent at least `count` messages; false when `timeout` passed first.
    public func waitForSent(count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(10)) { await state.sent.count >= count }
    }

    /// Changes the enforced send limits (e.g. `.off`, or shorter windows).
    public func setRates(_ rates: Rates) async { await state.setRates(rates) }
    /// Widens the server's 0.5 s repeated-offset window (`TelegramRepeatedPollRule`) for tests on a loaded machine.
    public func setRepeatedOffsetWindow(_ window: Duration) async { await state.setRepeatedOffsetWindow(window) }

    // MARK: Entities

    /// `mention` entities for `@username` and `bot_command` entities for `/command[@bot]` at a word start.
    public static func entities(in text: String) -> [Entity] {
        let units = Array(text.utf16)
        func isWord(_ unit: UInt16) -> Bool {
            (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5A) || (unit >= 0x61 && unit <= 0x7A)
                || unit == 0x5F
        }
        // Letters and combining marks outside ASCII also glue to a following @ or / (no entity then).
        func isLetterOrMark(_ unit: UInt16) -> Bool {
            guard unit >= 0x80, !UTF16.isLeadSurrogate(unit), !UTF16.isTrailSurrogate(unit),
                  let scalar = Unicode.Scalar(unit) else { return false }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return scalar.properties.isAlphabetic
            }
        }
        var result: [Entity] = []
        var index = 0
        while index < units.count {
            let unit = units[index]
            let atWordStart = index == 0 || !(isWord(units[index - 1]) || units[index - 1] == 0x40
                || units[index - 1] == 0x2F || isLetterOrMark(units[index - 1]))
            if atWordStart, unit == 0x40 {  // @username
                var end = index + 1
                while end < units.count, isWord(units[end]) { end += 1 }
                if end - index - 1 >= 1 {
                    result.append(Entity(type: "mention", offset: index, length: end - index))
                    index = end
                    continue
                }
            } else if atWordStart, unit == 0x2F {  // /command[@bot]
                var end = index + 1
                while end < units.count, isWord(units[end]) { end += 1 }
                if end > index + 1 {
                    if end < units.count, units[end] == 0x40 {
                        var botEnd = end + 1
                        while botEnd < units.count, isWord(units[botEnd]) { botEnd += 1 }
                        if botEnd > end + 1 { end = botEnd }
                    }
                    result.append(Entity(type: "bot_command", offset: index, length: end - index))
                    index = end
                    continue
                }
            }
            index += 1
        }
        return result
    }
}

extension TelegramEmulatorState {
    func setRates(_ rates: TelegramEmulator.Rates) { self.rates = rates }
    func setRepeatedOffsetWindow(_ window: Duration) { repeatedPollRule.oneUpdateWindow = window }
}
