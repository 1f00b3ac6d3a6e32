import Foundation
import ReplyTensorCore

/// `daily_post_budget`: how many tweets the bot may post per UTC day, counted durably in the adapter state store
/// (`post_budget.day` / `post_budget.used`) so a restart keeps the day's count. A limit of 0 means no budget.
struct TwitterPostBudget: Sendable {
    static let dayKey = "post_budget.day"
    static let usedKey = "post_budget.used"

    let limit: Int
    let state: any AdapterStateStore
    let now: @Sendable () -> Date

    /// The UTC day of `date` (`2026-12-04`), the key of a day's count.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Posts counted today (UTC).
    func postsToday() async throws -> Int {
        let today = Self.day(now())
        guard try await state.value(Self.dayKey, for: .twitter) == today else { return 0 }
        return try await state.value(Self.usedKey, for: .twitter).flatMap { Int($0) } ?? 0
    }

    /// Counts one post durably before it leaves; a permanent failure when today's budget is spent.
    func reserve() async throws {
        guard limit > 0 else { return }
        let used = try await postsToday()
        guard used < limit else {
            throw BotError(.platform, "daily_post_budget of \(limit) posts reached for today "
                               + "(UTC)", platform: .twitter, isPermanent: true)
        }
        try await set(used + 1)
    }

    /// Gives back a post counted by `reserve()` that did not go out.
    func refund() async throws {
        guard limit > 0 else { return }
        let used = try await postsToday()
        if used > 0 { try await set(used - 1) }
    }

    private func set(_ used: Int) async throws {
        let date = now()
        try await state.setValue(Self.day(date), for: Self.dayKey, platform: .twitter, at: date)
        try await state.setValue(String(used), for: Self.usedKey, platform: .twitter, at: date)
    }
}
