import Foundation

/// Everything the Telegram emulator knows: users, chats, their messages, pending updates, what the bot sent, the
/// webhook, send windows and violations.
actor TelegramEmulatorState {
    typealias User = TelegramEmulator.User
    typealias Chat = TelegramEmulator.Chat
    typealias Message = TelegramEmulator.Message

    /// An answer of a Bot API method before it becomes HTTP.
    enum Answer: Sendable {
        /// `result` as JSON text.
        case ok(String)
        case error(status: Int, description: String, retryAfter: Int? = nil, migrateTo: Int64? = nil)
    }

    /// One step of a long poll.
    enum PollStep: Sendable {
        case updates([String])
        case wait
        case conflict
    }

    struct ChatRecord {
        var chat: Chat
        var blocked = false
        var kicked = false
        var migratedTo: Int64?
        var nextMessageID: Int64 = 1
        var messages: [Int64: Message] = [:]
        var topics: Set<Int64> = []
    }

    private struct SendRecord {
        var chatID: Int64
        var isGroup: Bool
        var at: ContinuousClock.Instant
    }

    let token: String
    let bot: User
    private(set) var users: [Int64: User] = [:]
    var chats: [Int64: ChatRecord] = [:]
    /// Pending updates (`TelegramEmulatorState+Updates`).
    var queue: TelegramUpdateQueue
    var repeatedPollRule = TelegramRepeatedPollRule()
    private var nextUserID: Int64 = 500_000_001
    private var nextGroupID: Int64 = 4_000_001
    var webhookURL: String?
    var pollGeneration = 0
    var activePoll: Int?
    var conflicts = 0
    var deleteWebhookCalls = 0
    private(set) var sent: [TelegramEmulator.SentMessage] = []
    private(set) var actions: [TelegramEmulator.ChatAction] = []
    private(set) var violations = TelegramEmulator.Violations()
    /// The offset of the last `getUpdates` the queue accepted (it confirmed the updates below it).
    var lastConfirmedOffset: Int64 = 0
    var rates = TelegramEmulator.Rates.telegram
    private var sendLog: [SendRecord] = []
    private var blockedUntil: [String: ContinuousClock.Instant] = [:]
    private var blockedSince: [String: ContinuousClock.Instant] = [:]
    /// What each violation was, for test failure messages.
    private(set) var violationDetails: [String] = []
    let clock = ContinuousClock()

    init(token: String, bot: User, firstUpdateID: Int64?) {
        self.token = token
        self.bot = bot
        self.queue = TelegramUpdateQueue(firstID: firstUpdateID)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static func json<Value: Encodable>(_ value: Value) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    // MARK: Population

    func addUser(id: Int64?, username: String?, firstName: String, lastName: String?, isBot: Bool) -> User {
        let id = id ?? nextID(&nextUserID)
        let user = User(id: id, isBot: isBot, firstName: firstName, lastName: lastName, username: username)
        users[id] = user
        let chat = Chat(id: id, type: .private, username: username, firstName: firstName)
        if chats[id] == nil { chats[id] = ChatRecord(chat: chat) }
        return user
    }

    func addGroup(title: String, supergroup: Bool, forum: Bool, id: Int64?) -> Chat {
        let number = nextID(&nextGroupID)
        let chatID = id ?? (supergroup || forum ? -1_001_000_000_000 - number : -number)
        let chat = Chat(id: chatID, type: supergroup || forum ? .supergroup : .group, title: title,
                        isForum: forum ? true : nil)
        chats[chatID] = ChatRecord(chat: chat)
        return chat
    }

    func addChannel(title: String, username: String?) -> Chat {
        let chatID = -1_002_000_000_000 - nextID(&nextGroupID)
        let chat = Chat(id: chatID, type: .channel, title: title, username: username)
        chats[chatID] = ChatRecord(chat: chat)
        return chat
    }

    func chat(_ id: Int64) -> Chat? { chats[id]?.chat }

    func setBlocked(_ chatID: Int64, _ blocked: Bool) { chats[chatID]?.blocked = blocked }
    func setKicked(_ chatID: Int64, _ kicked: Bool) { chats[chatID]?.kicked = kicked }

    func upgradeToSupergroup(_ chatID: Int64) throws -> Chat {
        guard var record = chats[chatID], record.chat.type == .group else {
            throw EmulatorError("chat \(chatID) is not a basic group")
        }
        let newChat = addGroup(title: record.chat.title ?? "Group", supergroup: true, forum: false, id: nil)
        record.migratedTo = newChat.id
        chats[chatID] = record
        return newChat
    }

    func setWebhook(_ url: String?) { webhookURL = url }

    func nextID(_ counter: inout Int64) -> Int64 {
        defer { counter += 1 }
        return counter
    }

    // MARK: Inbound messages

    func inject(text: String, from userID: Int64, chatID: Int64, replyTo: Int64?, threadID: Int64?,
                asCaption: Bool, entities: [TelegramEmulator.Entity]) throws -> Message {
        guard let user = users[userID] else { throw EmulatorError("unknown user \(userID)") }
        guard var record = chats[chatID] else { throw EmulatorError("unknown chat \(chatID)") }
        if let threadID, !record.topics.contains(threadID) {
            throw EmulatorError("chat \(chatID) has no topic \(threadID)")
        }
        let messageID = record.nextMessageID
        record.nextMessageID += 1
        var message = Message(messageId: messageID, from: user, chat: record.chat,
                              date: Int64(Date().timeIntervalSince1970))
        if asCaption {
            message.caption = text
            message.captionEntities = entities.isEmpty ? nil : entities
        } else {
            message.text = text
            message.entities = entities.isEmpty ? nil : entities
        }
        if let threadID {
            message.messageThreadId = threadID
            message.isTopicMessage = true
        }
        if let replyTo {
            guard let parent = record.messages[replyTo] else {
                throw EmulatorError("chat \(chatID) has no message \(replyTo)")
            }
            message.replyToMessage = TelegramEmulator.MessageBox(parent.flat)
        } else if let starter = Self.topicStarter(of: threadID, in: record) {
            message.replyToMessage = TelegramEmulator.MessageBox(starter.flat)
        }
        record.messages[messageID] = message
        chats[chatID] = record
        queueUpdate(message)
        return message
    }

    // MARK: Sending

    /// Checks the chat a send goes to; an error answer when it cannot receive.
    private func checkTarget(_ params: TelegramEmulator.Params) -> Result<ChatRecord, AnswerError> {
        guard let raw = params["chat_id"] else { return .failure(.init(400, "Bad Request: chat_id is empty")) }
        var record: ChatRecord?
        if let id = raw.int64 {
            record = chats[id]
        } else if let name = raw.string, name.hasPrefix("@") {
            record = chats.values.first { $0.chat.username.map { "@" + $0.lowercased() } == name.lowercased() }
        }
        guard let record else { return .failure(.init(400, "Bad Request: chat not found")) }
        if let newID = record.migratedTo {
            return .failure(.init(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: newID))
        }
        if record.blocked { return .failure(.init(403, "Forbidden: bot was blocked by the user")) }
        if record.kicked {
            let kind = record.chat.type == .supergroup ? "supergroup" : (record.chat.type == .channel ? "channel" : "group")
            return .failure(.init(403, "Forbidden: bot was kicked from the \(kind) chat"))
        }
        return .success(record)
    }

    struct AnswerError: Error {
        var status: Int
        var description: String
        var retryAfter: Int?
        var migrateTo: Int64?
        init(_ status: Int, _ description: String, retryAfter: Int? = nil, migrateTo: Int64? = nil) {
            self.status = status
            self.description = description
            self.retryAfter = retryAfter
            self.migrateTo = migrateTo
        }
        var answer: Answer { .error(status: status, description: description, retryAfter: retryAfter, migrateTo: migrateTo) }
    }

    func sendMessage(_ params: TelegramEmulator.Params) -> Answer {
        let text = params["text"]?.string ?? ""
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .error(status: 400, description: "Bad Request: message text is empty")
        }
        var record: ChatRecord
        switch checkTarget(params) {
        case .failure(let error): return error.answer
        case .success(let value): record = value
        }
        if text.utf16.count > 4096 { return .error(status: 400, description: "Bad Request: message is too long") }
        let threadID = params["message_thread_id"]?.int64
        if let threadID, record.chat.isForum == true, !record.topics.contains(threadID) {
            return .error(status: 400, description: "Bad Request: message thread not found")
        }
        let replyParameters = params["reply_parameters"]?.object
        let replyID = replyParameters?["message_id"]?.int64 ?? params["reply_to_message_id"]?.int64
        let allowWithout = replyParameters?["allow_sending_without_reply"]?.bool
            ?? params["allow_sending_without_reply"]?.bool
        var parent: Message?
        if let replyID {
            parent = record.messages[replyID]
            if parent == nil, allowWithout != true {
                return .error(status: 400, description: "Bad Request: message to be replied not found")
            }
        }
        if let error = rateCheck(chat: record.chat) { return error.answer }

        let messageID = record.nextMessageID
        record.nextMessageID += 1
        var message = Message(messageId: messageID, from: bot.plain, chat: record.chat,
                              date: Int64(Date().timeIntervalSince1970), text: text)
        if let threadID, record.chat.isForum == true {
            message.messageThreadId = threadID
            message.isTopicMessage = true
        }
        if let parent {
            message.replyToMessage = TelegramEmulator.MessageBox(parent.flat)
        } else if record.chat.isForum == true, let starter = Self.topicStarter(of: threadID, in: record) {
            message.replyToMessage = TelegramEmulator.MessageBox(starter.flat)
        }
        record.messages[messageID] = message
        chats[record.chat.id] = record
        let linkPreview = params["link_preview_options"]?.object?["is_disabled"]?.bool
            ?? params["disable_web_page_preview"]?.bool
        sent.append(TelegramEmulator.SentMessage(
            message: message, chatID: record.chat.id, text: text, replyToMessageID: replyID,
            allowSendingWithoutReply: allowWithout, messageThreadID: threadID, parseMode: params["parse_mode"]?.string,
            linkPreviewDisabled: linkPreview, at: Date()))
        return .ok(Self.json(message))
    }

    static let chatActions: Set<String> = [
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document",
        "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    ]

    func sendChatAction(_ params: TelegramEmulator.Params) -> Answer {
        let record: ChatRecord
        switch checkTarget(params) {
        case .failure(let error): return error.answer
        case .success(let value): record = value
        }
        guard let action = params["action"]?.string, Self.chatActions.contains(action) else {
            return .error(status: 400, description: "Bad Request: wrong parameter action in request")
        }
        actions.append(TelegramEmulator.ChatAction(chatID: record.chat.id, action: action,
                                                   messageThreadID: params["message_thread_id"]?.int64, at: Date()))
        return .ok("true")
    }

    // MARK: Send limits

    /// Notes a 429 given by a fault so that sends inside its window count as violations.
    func noteRetryAfter(scope: String, seconds: Int) {
        blockedUntil[scope] = clock.now + .seconds(seconds)
        blockedSince[scope] = clock.now
    }

    private func rateCheck(chat: Chat) -> AnswerError? {
        let now = clock.now
        for scope in ["chat:\(chat.id)", "global"] {
            if let until = blockedUntil[scope], until > now {
                // A request already in flight when the 429 was given could not have known about it.
                if blockedSince[scope].map({ now - $0 > TelegramEmulator.inFlightGrace }) ?? true {
                    violations.retryAfterIgnored += 1
                    violationDetails.append("sendMessage to \(scope) \(until - now) before its retry_after ended"
                                            + (blockedSince[scope].map { ", \(now - $0) after the 429" } ?? ""))
                }
                return tooMany(seconds(until - now))
            }
        }
        guard rates.enforced else {
            sendLog.append(SendRecord(chatID: chat.id, isGroup: chat.type != .private, at: now))
            return nil
        }
        let longest = max(rates.perChat.interval, rates.perGroup.interval, rates.global.interval)
        sendLog.removeAll { now - $0.at > longest }
        let isGroup = chat.type == .group || chat.type == .supergroup
        func excess(_ limit: Int, _ interval: Duration, _ matches: (SendRecord) -> Bool) -> Duration? {
            let recent = sendLog.filter { matches($0) && now - $0.at < interval - rates.tolerance }
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return interval - (now - oldest.at)
        }
        var wait: (Duration, String)?
        if let value = excess(rates.perChat.limit, rates.perChat.interval, { $0.chatID == chat.id }) {
            wait = (value, "chat:\(chat.id)")
        } else if isGroup, let value = excess(rates.perGroup.limit, rates.perGroup.interval, { $0.chatID == chat.id }) {
            wait = (value, "chat:\(chat.id)")
        } else if let value = excess(rates.global.limit, rates.global.interval, { _ in true }) {
            wait = (value, "global")
        }
        if let (duration, scope) = wait {
            violations.ruleExcess += 1
            let retry = seconds(duration)
            // A client cannot tell a global flood wait from a per-chat one (the answer is the same), so only a
            // chat's own window counts as a retry_after it must honour; a global excess is counted as such.
            if scope != "global" {
                blockedUntil[scope] = now + .seconds(retry)
                blockedSince[scope] = now
            }
            return tooMany(retry)
        }
        sendLog.append(SendRecord(chatID: chat.id, isGroup: isGroup, at: now))
        return nil
    }

    private func seconds(_ duration: Duration) -> Int {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return max(1, Int(value.rounded(.up)))
    }

    private func tooMany(_ seconds: Int) -> AnswerError {
        AnswerError(429, "Too Many Requests: retry after \(seconds)", retryAfter: seconds)
    }
}
