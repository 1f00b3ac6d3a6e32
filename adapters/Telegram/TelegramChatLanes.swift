import Foundation
import ReplyTensorCore

/// One request at a time per chat, and no request into a chat while a `retry_after` Telegram gave for it is open.
/// Without the first, a typing indicator and a reply to the same chat could be in flight together, and the one
/// leaving second would cross the 429 the first received.
actor TelegramChatLanes {
    private var busy: Set<Int64> = []
    /// Callers waiting for a busy chat, first come first served; `release` hands the lane to the next one.
    private var waiting: [Int64: [CheckedContinuation<Void, Never>]] = [:]
    private var retryUntil: [Int64: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    /// Runs `body` alone for `chat`. Throws a `rateLimited` error (without sending) while the chat's wait is open;
    /// a 429 `body` reports through `noteRetryAfter` opens one.
    func run<T: Sendable>(_ chat: Int64, scope: String,
                          _ body: @Sendable () async throws -> T) async throws -> T {
        if busy.contains(chat) {
            await withCheckedContinuation { waiting[chat, default: []].append($0) }
        } else {
            busy.insert(chat)
        }
        defer { release(chat) }
        try Task.checkCancellation()
        if let until = retryUntil[chat], until > clock.now {
            throw BotError(.rateLimited, "Telegram's retry_after for this chat is still open",
                           platform: .telegram, retryAfter: until - clock.now, scope: scope)
        }
        return try await body()
    }

    /// Hands `chat`'s lane to the next waiter (it stays busy), or frees it.
    private func release(_ chat: Int64) {
        guard var queue = waiting[chat], !queue.isEmpty else {
            busy.remove(chat)
            return
        }
        let next = queue.removeFirst()
        waiting[chat] = queue.isEmpty ? nil : queue
        next.resume()
    }

    func noteRetryAfter(_ chat: Int64, seconds: Int) {
        let until = clock.now + .seconds(seconds)
        if retryUntil[chat].map({ $0 < until }) ?? true { retryUntil[chat] = until }
    }
}
