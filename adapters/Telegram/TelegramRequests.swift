// Request bodies of the Bot API methods the adapter calls, encoded as JSON with `convertToSnakeCase`.

struct TelegramGetUpdatesRequest: Encodable, Sendable {
    var offset: Int64?
    var limit: Int
    var timeout: Int
    var allowedUpdates: [String]
}

struct TelegramReplyParameters: Encodable, Sendable {
    var messageId: Int64
    var allowSendingWithoutReply: Bool
}

struct TelegramLinkPreviewOptions: Encodable, Sendable {
    var isDisabled: Bool
}

/// `sendMessage` with plain text: no `parse_mode`, so model output cannot break entity parsing.
struct TelegramSendMessageRequest: Encodable, Sendable {
    var chatId: Int64
    var messageThreadId: Int64?
    var text: String
    var replyParameters: TelegramReplyParameters?
    var linkPreviewOptions: TelegramLinkPreviewOptions
}

struct TelegramSendChatActionRequest: Encodable, Sendable {
    var chatId: Int64
    var messageThreadId: Int64?
    var action: String
}

struct TelegramDeleteWebhookRequest: Encodable, Sendable {
    var dropPendingUpdates: Bool
}

/// An empty body (`getMe`).
struct TelegramEmptyRequest: Encodable, Sendable {}
