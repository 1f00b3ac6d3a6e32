import Foundation
import ReplyTensorCore
import Synchronization

/// Discord's global limit counted by every replica together: "All bots can make up to 50 requests per second to our
/// API" (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit), per bot token, whichever process
/// sends. With a shared store each request start is recorded in one adapter-state value (the starts of the last
/// window, changed under the store's row lock by `updateValue`), and a request waits while the window is full. The
/// window is a quarter longer than a second: Discord counts arrivals, which come later than the starts recorded here
/// and by different delays on a loaded host (a 1.1 s window still let 51 arrive within one second, once in three
/// runs of the replicas end-to-end test).
struct DiscordSharedGlobalLimit: Sendable {
    static let key = "global.request_starts"
    static let window: TimeInterval = 1.25

    let state: any AdapterStateStore
    let limit: Int
    let now: @Sendable () -> Date

    /// Waits until the window has room and records one request start; with `waiting: false` returns false instead
    /// of waiting.
    func acquire(waiting: Bool) async throws -> Bool {
        while true {
            let wait = try await reserve()
            guard wait > 0 else { return true }
            guard waiting else { return false }
            try await Task.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up)) + 1))
        }
    }

    /// One attempt: 0 when a start was recorded, else the seconds until the oldest start leaves the window.
    private func reserve() async throws -> TimeInterval {
        let date = now()
        let outcome = Mutex<TimeInterval>(0)
        _ = try await state.updateValue(Self.key, platform: .discord, at: date) { [limit] stored in
            let cutoff = date.timeIntervalSince1970 - Self.window
            var starts = (stored ?? "").split(separator: " ").compactMap { Double($0) }.filter { $0 > cutoff }
            if starts.count >= limit, let oldest = starts.min() {
                outcome.withLock { $0 = oldest - cutoff }
            } else {
                starts.append(date.timeIntervalSince1970)
            }
            return starts.map { String(format: "%.3f", $0) }.joined(separator: " ")
        }
        return outcome.withLock { $0 }
    }
}
