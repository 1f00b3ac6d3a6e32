/// One holder at a time, first come first served, for code on one actor. Actors are reentrant across `await`, so a
/// check-then-act sequence that awaits (a policy check and its claim; a post budget, its rate windows and the post)
/// holds this lock instead: `acquire()` waits while another caller holds it, `release()` hands it to the next waiter.
///
/// Owned by one actor and used on it only: `acquire()` runs on the caller's isolation. Waiting is not cancellable
/// (a cancelled caller still gets its turn, then sees the cancellation in what it runs).
///
///     await lock.acquire()
///     defer { lock.release() }
public final class AsyncLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    /// Returns once the caller holds the lock.
    public func acquire(isolation: isolated (any Actor)? = #isolation) async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation(isolation: isolation) { waiters.append($0) }
    }

    /// Hands the lock to the next waiter, or frees it.
    public func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding the lock.
    public func withLock<T>(isolation: isolated (any Actor)? = #isolation,
                            _ body: () async throws -> T) async rethrows -> T {
        await acquire(isolation: isolation)
        defer { release() }
        return try await body()
    }
}
