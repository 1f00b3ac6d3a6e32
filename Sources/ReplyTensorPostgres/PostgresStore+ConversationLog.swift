import Foundation
import PostgresNIO
import ReplyTensorCore

extension PostgresStore: ConversationLog {
    public func append(_ message: LoggedMessage) async throws {
        try await execute(Self.appendQuery(message))
    }

    static func appendQuery(_ message: LoggedMessage) -> PostgresQuery {
        """
        INSERT INTO conversation_log
            (platform, chat_id, message_id, parent_id, author_id, author_name, from_bot, text, at)
        VALUES (\(message.platform.rawValue), \(message.chatID), \(message.messageID), \(message.parentID),
                \(message.authorID), \(message.authorName), \(message.fromBot), \(message.text),
                \(message.at.timeIntervalSince1970))
        ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET parent_id = excluded.parent_id,
            author_id = excluded.author_id, author_name = excluded.author_name, from_bot = excluded.from_bot,
            text = excluded.text, at = excluded.at
        """
    }

    static let logColumns = """
        log.platform, log.chat_id, log.message_id, log.parent_id, log.author_id, log.author_name, log.from_bot,
        log.text, log.at
        """

    static func loggedMessage(_ row: PostgresRow) throws -> LoggedMessage {
        let (platform, chat, id, parent, author, name, fromBot, text, at) = try row.decode(
            (String, String, String, String?, String, String, Bool, String, Double).self)
        return LoggedMessage(platform: Platform(rawValue: platform), chatID: chat, messageID: id, parentID: parent,
                             authorID: author, authorName: name, fromBot: fromBot, text: text,
                             at: Date(timeIntervalSince1970: at))
    }

    public func logged(platform: Platform, chatID: String, messageID: String) async throws -> LoggedMessage? {
        try await rows("""
            SELECT \(unescaped: Self.logColumns) FROM conversation_log AS log
            WHERE platform = \(platform.rawValue) AND chat_id = \(chatID) AND message_id = \(messageID)
            """).first.map(Self.loggedMessage)
    }

    /// One recursive query up the parent links (the chain's messages share the chat).
    public func chain(platform: Platform, chatID: String, from messageID: String, limit: Int) async throws
        -> [LoggedMessage] {
        try await rows("""
            WITH RECURSIVE chain(message_id, depth) AS (
                SELECT \(messageID)::text, 0
                UNION ALL
                SELECT log.parent_id, chain.depth + 1 FROM chain
                JOIN conversation_log AS log
                  ON log.platform = \(platform.rawValue) AND log.chat_id = \(chatID) AND log.message_id = chain.message_id
                WHERE log.parent_id IS NOT NULL AND chain.depth + 1 < \(limit)
            )
            SELECT \(unescaped: Self.logColumns) FROM chain
            JOIN conversation_log AS log
              ON log.platform = \(platform.rawValue) AND log.chat_id = \(chatID) AND log.message_id = chain.message_id
            ORDER BY chain.depth
            """).map(Self.loggedMessage)
    }

    public func pruneLog(before date: Date) async throws -> Int {
        try await rows("DELETE FROM conversation_log WHERE at < \(date.timeIntervalSince1970) RETURNING 1").count
    }
}
