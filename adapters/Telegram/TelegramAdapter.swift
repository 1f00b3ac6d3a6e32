import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The Telegram Bot API adapter: `getUpdates` long polling, replies with `sendMessage`, typing with
/// `sendChatAction`.
///
/// Ids: `InboundMessage.id` (the ledger key) is `"<chat_id>:<message_id>"`, because Telegram message ids are unique
/// per chat only. Everything the engine keeps per chat uses the bare `message_id`: `platformMessageID`,
/// `replyTo.id` and the id `post` returns (the engine's conversation log is keyed by chat id + message id, so a
/// reply to the bot's reply finds it).
/// Cursor: one scope, `offset` (last received `update_id` + 1, covering ignored and malformed updates too; it moves
/// down when Telegram's update ids were reset, see `TelegramOffset`).
/// Chat migrations (a group upgraded to a supergroup) are kept in the adapter state as `migrated.<old id>`.
public actor TelegramAdapter: PlatformAdapter {
    public nonisolated let platform: Platform = .telegram
    public nonisolated let rules: PlatformRules

    private let configuration: TelegramConfiguration
    private let environment: AdapterEnvironment
    private let client: TelegramClient
    private var logger: Logger
    private let lanes = TelegramChatLanes()
    private var bot: TelegramBotInfo?
    /// The offset the last update-id reset moved to (logged once).
    private var announcedReset: Int64?

    /// Cursor scope of the update offset.
    public static let offsetCursor = "offset"
    /// Largest number of updates per `getUpdates` (the API's maximum).
    static let pageSize = 100

    public init(configuration: TelegramConfiguration, environment: AdapterEnvironment) {
        self.configuration = configuration
        self.environment = environment
        var logger = environment.logger
        logger[metadataKey: "platform"] = "telegram"
        self.logger = logger
        self.client = TelegramClient(configuration: configuration, http: environment.http, logger: logger)
        self.rules = PlatformRules(
            length: .utf16(4096), overflow: .split, maxParts: configuration.maxParts, typingInterval: .seconds(4),
            // Telegram's limits with a margin for the jitter between leaving here and arriving there.
            sendRules: [
                SendRule(.chat, limit: 1, per: .milliseconds(1050)),
                SendRule(.groupChat, limit: 20, per: .seconds(61)),
                SendRule(.global, limit: 28, per: .seconds(1)),
            ],
            idempotentPost: false)
    }

    // MARK: Identity

    /// Calls `getMe`: the bot's id, username and whether privacy mode is off. For `replytensor check`.
    public func verify() async throws -> TelegramBotInfo {
        let user = try await client.call("getMe", TelegramEmptyRequest(), as: TelegramUser.self)
            .get(method: "getMe", scope: "global", tokenSource: configuration.tokenSource)
        guard let username = user.username, !username.isEmpty else {
            throw BotError(.platform, "getMe returned no username: is this token a bot's token?", platform: .telegram)
        }
        let info = TelegramBotInfo(id: user.id, username: username, displayName: user.displayName,
                                   canJoinGroups: user.canJoinGroups ?? false,
                                   canReadAllGroupMessages: user.canReadAllGroupMessages ?? false)
        bot = info
        return info
    }

    /// Calls `getWebhookInfo`, for `replytensor check`: a set webhook makes every `getUpdates` answer 409.
    public func webhookInfo() async throws -> TelegramWebhookInfo {
        let answer = try await client.call("getWebhookInfo", TelegramEmptyRequest(), as: TelegramWebhookInfoAnswer.self)
            .get(method: "getWebhookInfo", scope: "global", tokenSource: configuration.tokenSource)
        return TelegramWebhookInfo(url: answer.url ?? "", pendingUpdateCount: answer.pendingUpdateCount ?? 0,
                                   lastErrorMessage: answer.lastErrorMessage.map(client.scrub))
    }

    /// `getMe` as a `BotIdentity`; `extras["can_read_all_group_messages"]` is `"true"` or `"false"` (privacy mode).
    public func identity() async throws -> BotIdentity {
        let info = try await verify()
        return BotIdentity(platform: .telegram, id: String(info.id), handle: info.username,
                           displayName: info.displayName,
                           extras: ["can_read_all_group_messages": String(info.canReadAllGroupMessages),
                                    "can_join_groups": String(info.canJoinGroups)])
    }

    private func knownBot() async throws -> TelegramBotInfo {
        if let bot { return bot }
        return try await verify()
    }

    // MARK: Polling

    /// One `getUpdates` long poll from `cursors["offset"]`. The next offset is one past the highest update id
    /// received (addressed, ignored or malformed), also when that is below the stored offset: Telegram's update ids
    /// were reset (see `TelegramOffset`). A page that moves nothing — an empty or unreadable answer — is followed by
    /// the next poll only `idlePollInterval` after this one started, never at once.
    public func poll(cursors: [String: String]) async throws -> PollPage {
        let bot = try await knownBot()
        let started = ContinuousClock.now
        var offset = TelegramOffset(stored: cursors[Self.offsetCursor].flatMap { Int64($0) })
        let response = try await getUpdates(offset: offset.stored, retryAfterWebhookDeletion: true)
        var page = PollPage()
        var reader = client.updatesReader()
        if let envelope = client.readUpdates(response, with: &reader) {
            guard envelope.ok, let slots = envelope.result else {
                throw BotError(.decoding, "getUpdates answered ok=\(envelope.ok) without a result", platform: .telegram)
            }
            let addressing = TelegramAddressing(botID: bot.id, botUsername: bot.username)
            for slot in slots {
                switch slot {
                case .update(let update):
                    offset.received(update.updateId)
                    guard let message = update.message ?? update.editedMessage else { continue }
                    if let inbound = inbound(message, addressing: addressing) { page.messages.append(inbound) }
                case .invalid(let updateID, let reason):
                    if let updateID { offset.received(updateID) }
                    reader.skip(id: updateID.map(String.init), reason: reason)
                }
            }
        }
        page.rejected = reader.rejected
        if offset.isReset { noteReset(offset) }
        if let next = offset.next {
            page.cursorUpdates[Self.offsetCursor] = String(next)
        } else {
            page.nextPollDelay = max(.zero, Self.idlePollInterval - started.duration(to: .now))
        }
        return page
    }

    /// The shortest time from one poll's start to the next when a page moved nothing. Longer than the Bot API
    /// server's 0.5 s window in which a repeated offset gets `limit = 1`.
    public static let idlePollInterval: Duration = .seconds(1)

    /// Logs an update-id reset once (a retry of the same page logs nothing new).
    private func noteReset(_ offset: TelegramOffset) {
        guard let next = offset.next, announcedReset != next else { return }
        announcedReset = next
        logger.warning("Telegram's update ids were reset (a week without updates, or another Bot API server): the offset moves down to the ids received",
                       metadata: ["telegram.offset": "\(offset.stored ?? 0)",
                                  "telegram.lowest_update_id": "\(offset.lowest ?? 0)",
                                  "telegram.next_offset": "\(next)"])
    }

    /// `getUpdates` returning the successful raw answer; maps error answers, handling 409 (webhook, second poller).
    private func getUpdates(offset: Int64?, retryAfterWebhookDeletion: Bool) async throws -> HTTPResponse {
        let body = TelegramGetUpdatesRequest(offset: offset, limit: Self.pageSize,
                                             timeout: configuration.pollTimeoutSeconds,
                                             allowedUpdates: configuration.allowedUpdates)
        let data = try JSONEncoder.telegram.encode(body)
        let request = HTTPRequest(
            method: "POST", url: client.url("getUpdates"), headers: ["Content-Type": "application/json"], body: data,
            timeout: .seconds(configuration.pollTimeoutSeconds + 15), maxBodyBytes: TelegramClient.maxBodyBytes,
            redactions: [configuration.token])
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            var mapped = BotError(error, platform: .telegram, delivery: .notDelivered)
            mapped.message = client.scrub("getUpdates: \(mapped.message)")
            throw mapped
        } catch is CancellationError {
            throw BotError(.cancelled, "getUpdates: cancelled", platform: .telegram)
        } catch let error as BotError {
            throw error
        } catch {
            throw BotError(.transport, client.scrub("getUpdates: \(error)"), platform: .telegram)
        }
        if response.isSuccess { return response }
        guard case .failure(let failure) = try client.decode(response, method: "getUpdates", as: TelegramIgnored.self)
        else { return response }
        if failure.status == 409 {
            if failure.description.localizedCaseInsensitiveContains("webhook") {
                if configuration.deleteWebhook && retryAfterWebhookDeletion {
                    logger.notice("a webhook is set; deleting it because delete_webhook = true")
                    _ = try await client.call("deleteWebhook", TelegramDeleteWebhookRequest(dropPendingUpdates: false),
                                              as: TelegramIgnored.self)
                        .get(method: "deleteWebhook", scope: "global", tokenSource: configuration.tokenSource)
                    return try await getUpdates(offset: offset, retryAfterWebhookDeletion: false)
                }
                throw BotError(.platform,
                               "getUpdates refused because a webhook is set for this bot (\(failure.description)). "
                                   + "Delete the webhook (deleteWebhook) or set delete_webhook = true in [telegram]",
                               platform: .telegram, httpStatus: 409)
            }
            throw BotError(.platform,
                           "getUpdates conflict: another process is polling with the same bot token "
                               + "(\(failure.description)). Stop the second poller",
                           platform: .telegram, httpStatus: 409)
        }
        throw failure.botError(method: "getUpdates", scope: "global", tokenSource: configuration.tokenSource)
    }

    /// The inbound message for an addressed Telegram message, `nil` when it is not addressed to the bot.
    private func inbound(_ message: TelegramMessage, addressing: TelegramAddressing) -> InboundMessage? {
        guard let outcome = addressing.outcome(for: message) else { return nil }
        let chatID = String(message.chat.id)
        let threadID = message.isTopicMessage == true ? message.messageThreadId : nil
        let kind: ChatRef.Kind
        switch message.chat.type {
        case "private": kind = .direct
        case "channel": kind = .channel
        default: kind = .group
        }
        var extras = ["chat_id": chatID, "chat_type": message.chat.type, "message_id": String(message.messageId)]
        if let threadID { extras["thread_id"] = String(threadID) }
        var replyTo: MessageRef?
        if let parent = message.explicitReply {
            replyTo = MessageRef(id: String(parent.messageId), author: author(of: parent, bot: addressing),
                                 text: parent.body?.text)
            extras["reply_to_date"] = String(parent.date)
        }
        return InboundMessage(
            platform: .telegram, id: "\(chatID):\(message.messageId)", platformMessageID: String(message.messageId),
            chat: ChatRef(id: chatID, kind: kind, threadID: threadID.map(String.init), title: message.chat.title),
            author: author(of: message, bot: addressing) ?? Author(id: "unknown"), text: outcome.text,
            addressedAs: outcome.kind, replyTo: replyTo,
            createdAt: Date(timeIntervalSince1970: TimeInterval(message.date)), extras: extras)
    }

    /// Ids of Telegram's stand-ins for anonymous group admins and linked channels.
    private static let anonymousSenders: Set<Int64> = [1_087_968_824, 136_817_688]

    private func author(of message: TelegramMessage, bot: TelegramAddressing) -> Author? {
        if let chat = message.senderChat, message.from.map({ Self.anonymousSenders.contains($0.id) }) ?? true {
            return Author(id: String(chat.id), handle: chat.username, displayName: chat.title, isBot: false)
        }
        guard let user = message.from else { return nil }
        return Author(id: String(user.id), handle: user.username, displayName: user.displayName,
                      isBot: user.isBot || user.id == bot.botID)
    }

    // MARK: Context

    /// The replied-to message, when there is one (the Bot API has no history; the engine adds earlier turns from
    /// its conversation log).
    public func context(of message: InboundMessage, depth: Int) async throws -> [InboundMessage] {
        guard depth > 0, let parent = message.replyTo else { return [] }
        let date = message.extras["reply_to_date"].flatMap { TimeInterval($0) }
            .map { Date(timeIntervalSince1970: $0) } ?? message.createdAt
        let chatID = message.extras["chat_id"] ?? message.chat.id
        return [InboundMessage(platform: .telegram, id: "\(chatID):\(parent.id)", platformMessageID: parent.id,
                               chat: message.chat,
                               author: parent.author ?? Author(id: "unknown"), text: parent.text ?? "",
                               addressedAs: .reply, createdAt: date,
                               extras: ["chat_id": chatID])]
    }

    // MARK: Posting

    /// Sends one part as a plain-text reply to `message` (`reply_parameters` with `allow_sending_without_reply`, link
    /// previews off, the forum topic kept) and returns the new message's bare `message_id`. Follows (and records)
    /// group → supergroup migrations.
    public func post(_ text: String, replyingTo message: InboundMessage, part: Int, idempotencyKey: String)
        async throws -> String {
        let target = try Target(message)
        var chatID = try await currentChatID(target.chatID)
        for _ in 0..<3 {
            let request = TelegramSendMessageRequest(
                chatId: chatID, messageThreadId: target.threadID, text: text,
                replyParameters: target.messageID.map {
                    TelegramReplyParameters(messageId: $0, allowSendingWithoutReply: true)
                },
                linkPreviewOptions: TelegramLinkPreviewOptions(isDisabled: true))
            let result = try await callInChat(chatID, scope: "chat:\(message.chat.id)") { client in
                try await client.call("sendMessage", request, as: TelegramMessage.self, delivery: .unknown)
            }
            switch result {
            case .success(let sent):
                return String(sent.messageId)
            case .failure(let failure):
                if let newID = failure.migrateToChatID, newID != chatID {
                    try await recordMigration(from: chatID, to: newID)
                    chatID = newID
                    continue
                }
                throw failure.botError(method: "sendMessage", scope: "chat:\(message.chat.id)",
                                       tokenSource: configuration.tokenSource)
            }
        }
        throw BotError(.platform, "sendMessage: chat \(target.chatID) keeps migrating", platform: .telegram)
    }

    /// `sendChatAction` `typing` (lasts up to 5 s on Telegram's side).
    public func indicateTyping(for message: InboundMessage) async throws {
        let target = try Target(message)
        var chatID = try await currentChatID(target.chatID)
        for _ in 0..<3 {
            let request = TelegramSendChatActionRequest(chatId: chatID, messageThreadId: target.threadID,
                                                        action: "typing")
            let result = try await callInChat(chatID, scope: "chat:\(message.chat.id)") { client in
                try await client.call("sendChatAction", request, as: TelegramIgnored.self)
            }
            switch result {
            case .success:
                return
            case .failure(let failure):
                if let newID = failure.migrateToChatID, newID != chatID {
                    try await recordMigration(from: chatID, to: newID)
                    chatID = newID
                    continue
                }
                throw failure.botError(method: "sendChatAction", scope: "chat:\(message.chat.id)",
                                       tokenSource: configuration.tokenSource)
            }
        }
    }

    /// A request to one chat, alone in that chat's lane; a 429 answer keeps the lane closed for its `retry_after`.
    private func callInChat<Result: Sendable>(
        _ chatID: Int64, scope: String,
        _ body: @Sendable @escaping (TelegramClient) async throws -> Swift.Result<Result, TelegramAPIFailure>
    ) async throws -> Swift.Result<Result, TelegramAPIFailure> {
        let client = self.client
        let lanes = self.lanes
        return try await lanes.run(chatID, scope: scope) {
            let result = try await body(client)
            if case .failure(let failure) = result, let seconds = failure.retryAfter {
                await lanes.noteRetryAfter(chatID, seconds: seconds)
            }
            return result
        }
    }

    /// Where a reply to `message` goes.
    private struct Target {
        var chatID: Int64
        var threadID: Int64?
        var messageID: Int64?

        init(_ message: InboundMessage) throws {
            guard let chatID = Int64(message.extras["chat_id"] ?? message.chat.id) else {
                throw BotError(.platform, "message \(message.id) has no Telegram chat id", platform: .telegram,
                               isPermanent: true)
            }
            self.chatID = chatID
            self.threadID = (message.extras["thread_id"] ?? message.chat.threadID).flatMap { Int64($0) }
            self.messageID = Int64(message.platformMessageID)
        }
    }

    /// Storage key of a chat migration.
    public static func migrationKey(_ chatID: Int64) -> String { "migrated.\(chatID)" }

    /// The chat id to send to, after following recorded migrations.
    private func currentChatID(_ chatID: Int64) async throws -> Int64 {
        var current = chatID
        for _ in 0..<4 {
            guard let next = try await environment.state.value(Self.migrationKey(current), for: .telegram)
                .flatMap({ Int64($0) }), next != current else { break }
            current = next
        }
        return current
    }

    private func recordMigration(from old: Int64, to new: Int64) async throws {
        logger.notice("group was upgraded to a supergroup; following the migration",
                      metadata: ["telegram.chat_id": "\(old)", "telegram.migrate_to_chat_id": "\(new)"])
        try await environment.state.setValue(String(new), for: Self.migrationKey(old), platform: .telegram,
                                             at: environment.now())
    }
}

extension Result where Failure == TelegramAPIFailure {
    /// The success value, or the failure as a `BotError`.
    func get(method: String, scope: String, tokenSource: String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let failure): throw failure.botError(method: method, scope: scope, tokenSource: tokenSource)
        }
    }
}

extension JSONEncoder {
    /// The Bot API's snake_case JSON.
    static var telegram: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}
