import Foundation

/// The operator's policy from `[limits]`: how much the bot may answer. Zero means unlimited.
public struct PolicyLimits: Sendable, Hashable {
    public var perUserPerHour: Int
    public var perChatPerMinute: Int
    /// Replies per UTC day across all platforms.
    public var dailyReplies: Int

    public init(perUserPerHour: Int = 10, perChatPerMinute: Int = 6, dailyReplies: Int = 1000) {
        self.perUserPerHour = perUserPerHour
        self.perChatPerMinute = perChatPerMinute
        self.dailyReplies = dailyReplies
    }

    /// True when any limit applies.
    public var isLimited: Bool { perUserPerHour > 0 || perChatPerMinute > 0 || dailyReplies > 0 }

    /// The reason a reply to `message` would break the policy at `now`, or nil. Counts come from the ledger, so
    /// they survive restarts.
    public func violation(for message: InboundMessage, at now: Date, ledger: any MentionLedger) async throws -> String? {
        if perUserPerHour > 0 {
            let used = try await ledger.countReplies(ReplyCountQuery(
                platform: message.platform, authorID: message.author.id, since: now.addingTimeInterval(-3600)))
            if used >= perUserPerHour { return "limit.per_user_per_hour" }
        }
        if perChatPerMinute > 0 {
            let used = try await ledger.countReplies(ReplyCountQuery(
                platform: message.platform, chatID: message.chat.id, since: now.addingTimeInterval(-60)))
            if used >= perChatPerMinute { return "limit.per_chat_per_minute" }
        }
        if dailyReplies > 0 {
            let used = try await ledger.countReplies(ReplyCountQuery(since: Self.startOfUTCDay(now)))
            if used >= dailyReplies { return "limit.daily_replies" }
        }
        return nil
    }

    /// Midnight UTC of `date`'s day (Unix time has exactly 86,400 s a day).
    public static func startOfUTCDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
