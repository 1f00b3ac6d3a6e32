import Foundation

// Forum topics. A topic starts with a service message carrying `forum_topic_created`, whose `message_id` is the
// topic's `message_thread_id`. Every message in the topic that replies to nothing in particular comes with that
// service message as its `reply_to_message`: the Bot API server fills an implicit reply to the topic's first message
// (tdlib/telegram-bot-api `telegram-bot-api/Client.cpp`: `JsonMessage` calls `get_same_chat_reply_to_message_id`,
// which falls back to `get_implicit_reply_to_message_id` — the forum topic id, except in the General topic).
extension TelegramEmulatorState {
    /// Creates a topic in a forum supergroup, its creation message sent by `creatorID` (a user), or by the bot when
    /// nil (`createForumTopic`). A user's creation message reaches the bot as an update, like every service message.
    func addTopic(in chatID: Int64, name: String, creatorID: Int64?) throws -> Int64 {
        guard var record = chats[chatID], record.chat.isForum == true else {
            throw EmulatorError("chat \(chatID) is not a forum supergroup")
        }
        var creator = bot.plain
        if let creatorID {
            guard let user = users[creatorID] else { throw EmulatorError("unknown user \(creatorID)") }
            creator = user
        }
        let threadID = record.nextMessageID
        record.nextMessageID += 1
        var starter = Message(messageId: threadID, from: creator, chat: record.chat,
                              date: Int64(Date().timeIntervalSince1970))
        starter.messageThreadId = threadID
        starter.isTopicMessage = true
        // 7322096 (0x6FB9F0) is the first of the six colours `createForumTopic` allows.
        starter.forumTopicCreated = TelegramEmulator.ForumTopicCreated(name: name, iconColor: 7_322_096)
        record.topics.insert(threadID)
        record.messages[threadID] = starter
        chats[chatID] = record
        if creatorID != nil { queueUpdate(starter) }
        return threadID
    }

    /// The creation message of topic `threadID` in `record`'s chat, when there is such a topic.
    static func topicStarter(of threadID: Int64?, in record: ChatRecord) -> Message? {
        guard let threadID, record.topics.contains(threadID) else { return nil }
        return record.messages[threadID]
    }
}
