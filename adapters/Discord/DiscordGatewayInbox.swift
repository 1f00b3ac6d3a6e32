import Foundation
import ReplyTensorCore
import Synchronization

/// What the Gateway hands to the adapter's polls.
enum DiscordGatewayEvent: Sendable {
    /// MESSAGE_CREATE.
    case message(DiscordMessage)
    /// A dispatch that could not be read (reason, detail).
    case malformed(String, String)
    /// GUILD_CREATE: roles and channels of a guild.
    case guild(DiscordGuildCreate)
    /// THREAD_CREATE / CHANNEL_CREATE.
    case channel(DiscordChannel)
    /// READY of a new session (not a resume): events between the last session and this one may be missing.
    case sessionStarted
    /// The Gateway cannot go on (a fatal close code).
    case stopped(BotError)
    /// Identifying is refused for now (no session starts left until the reset).
    case refused(BotError)
}

/// Events from the Gateway connection, buffered until the adapter's next poll takes them. A poll with nothing
/// buffered waits on a continuation until an event arrives or the timeout passes (no sleep-polling).
final class DiscordGatewayInbox: Sendable {
    private struct State {
        var events: [DiscordGatewayEvent] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        var nextWaiter = 0
    }
    private let state = Mutex(State())

    func push(_ event: DiscordGatewayEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.events.append(event)
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume()
    }

    /// Everything buffered; waits up to `timeout` for the first event when there is none.
    func take(waitingUpTo timeout: Duration) async -> [DiscordGatewayEvent] {
        if let ready = drain() { return ready }
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = self.state.withLock { state -> Bool in
                            if !state.events.isEmpty || Task.isCancelled { return true }
                            state.waiter = (id, continuation)
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.wake(id)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake(id)
            }
            await group.next()
            group.cancelAll()
        }
        return drain() ?? []
    }

    private func wake(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    private func drain() -> [DiscordGatewayEvent]? {
        state.withLock { state in
            guard !state.events.isEmpty else { return nil }
            defer { state.events.removeAll() }
            return state.events
        }
    }
}
