import Foundation
import ReplyTensorCore

/// `daily_post_budget`: how many tweets the bot may post per UTC day, counted durably in the adapter state store
/// (`post_budget.day` / `post_budget.used`, or `post_budget` in a shared store: `TwitterDailyCount`) so a restart
/// keeps the day's count and replicas sharing the store count together. A limit of 0 means no budget.
struct TwitterPostBudget: Sendable {
    static let dayKey = "post_budget.day"
    static let usedKey = "post_budget.used"
    /// The day and the count in one value, when several replicas share the store (`TwitterDailyCount`).
    static let sharedKey = "post_budget"

    let limit: Int
    let count: TwitterDailyCount

    init(limit: Int, state: any AdapterStateStore, now: @escaping @Sendable () -> Date, shared: Bool = false) {
        self.limit = limit
        count = TwitterDailyCount(dayKey: Self.dayKey, countKey: Self.usedKey, sharedKey: Self.sharedKey,
                                  state: state, now: now, shared: shared)
    }

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
    func postsToday() async throws -> Int { try await count.today() }

    /// Counts one post durably before it leaves; a permanent failure when today's budget is spent.
    func reserve() async throws {
        guard limit > 0 else { return }
        let limit = limit
        _ = try await count.update { used in
            guard used < limit else {
                throw BotError(.platform, "daily_post_budget of \(limit) posts reached for today (UTC)",
                               platform: .twitter, isPermanent: true)
            }
            return used + 1
        }
    }

    /// Gives back a post counted by `reserve()` that did not go out.
    func refund() async throws {
        guard limit > 0 else { return }
        _ = try await count.update { max(0, $0 - 1) }
    }
}
