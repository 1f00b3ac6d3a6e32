import Foundation
import ReplyTensorCore
import Synchronization

/// A count per UTC day in the adapter state store (posts made, money spent), changed atomically.
///
/// One process keeps the day and the count under two keys (`dayKey`, `countKey`), changed one after the other by
/// a caller that serialises its changes. When several replicas share the store, the day and the count must change
/// together in one atomic step (`updateValue`), so they live in one value under `sharedKey` (`2026-12-05 17`); a
/// store written by one process before keeps its count: while `sharedKey` is absent, the two keys seed it.
struct TwitterDailyCount: Sendable {
    let dayKey: String
    let countKey: String
    let sharedKey: String
    let state: any AdapterStateStore
    let now: @Sendable () -> Date
    let shared: Bool

    /// Today's (UTC) count.
    func today() async throws -> Int {
        let today = TwitterPostBudget.day(now())
        if shared {
            guard let stored = try await state.value(sharedKey, for: .twitter) else {
                return Self.count(of: try await legacy(), on: today)
            }
            return Self.count(of: stored, on: today)
        }
        guard try await state.value(dayKey, for: .twitter) == today else { return 0 }
        return try await state.value(countKey, for: .twitter).flatMap { Int($0) } ?? 0
    }

    /// Replaces today's count with `change` of it (which may throw to refuse: nothing changes then); returns the
    /// count before and after.
    func update(_ change: @escaping @Sendable (Int) throws -> Int) async throws -> (before: Int, after: Int) {
        let date = now()
        let today = TwitterPostBudget.day(date)
        guard shared else {
            let before = try await self.today()
            let after = try change(before)
            try await state.setValue(today, for: dayKey, platform: .twitter, at: date)
            try await state.setValue(String(after), for: countKey, platform: .twitter, at: date)
            return (before, after)
        }
        let seed = try await state.value(sharedKey, for: .twitter) == nil ? try await legacy() : nil
        let before = Mutex(0)
        let stored = try await state.updateValue(sharedKey, platform: .twitter, at: date) { stored in
            let count = Self.count(of: stored ?? seed, on: today)
            before.withLock { $0 = count }
            return "\(today) \(try change(count))"
        }
        return (before.withLock { $0 }, Self.count(of: stored, on: today))
    }

    /// The count a one-process store kept, in the shared form.
    private func legacy() async throws -> String? {
        guard let day = try await state.value(dayKey, for: .twitter) else { return nil }
        return "\(day) \(try await state.value(countKey, for: .twitter).flatMap { Int($0) } ?? 0)"
    }

    /// The count in a shared value (`day count`) when it is of `day`, else 0.
    private static func count(of stored: String?, on day: String) -> Int {
        guard let parts = stored?.split(separator: " "), parts.count == 2, parts[0] == day else { return 0 }
        return Int(parts[1]) ?? 0
    }
}
