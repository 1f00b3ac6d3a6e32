import Synchronization
/// Runs `operation`, giving up with `onTimeout()` when it takes longer than `limit` on `clock`. The operation is
/// cancelled then; an error it throws first is thrown as it is. The structured timeout race: the engine's
/// responder deadline and the gateway's per-attempt deadline use it.
public func withDeadline<T: Sendable>(_ limit: Duration, clock: any Clock<Duration>,
                                      onTimeout: @escaping @Sendable () -> any Error,
                                      _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await clock.sleep(for: limit)
            throw onTimeout()
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw onTimeout() }
        return result
    }
}

/// Like `withDeadline`, but returns at the deadline even when `operation` does not end on cancellation (a database
/// driver waiting on a server that went away): the operation is cancelled and left to end in the background, its
/// result dropped. For requests whose late success is harmless.
public func withAbandoningDeadline<T: Sendable>(_ limit: Duration, clock: any Clock<Duration>,
                                                onTimeout: @escaping @Sendable () -> any Error,
                                                _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = Outcome<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.set(continuation)
        let work = Task {
            do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
        }
        Task {
            try? await clock.sleep(for: limit)
            if outcome.finish(.failure(onTimeout())) { work.cancel() }
        }
    }
}

/// The one continuation of `withAbandoningDeadline`, resumed once by whichever finishes first.
private final class Outcome<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ value: CheckedContinuation<T, any Error>) { continuation.withLock { $0 = value } }

    /// Resumes with `result` unless already resumed; true when this call did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        guard let waiting = continuation.withLock({ value in defer { value = nil }; return value }) else { return false }
        waiting.resume(with: result)
        return true
    }
}
