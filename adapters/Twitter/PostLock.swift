/// One holder at a time, first come first served, for code on one actor. Actors are reentrant across `await`, so a
/// check-then-act sequence that awaits (the X adapter's budget and post windows, then the post itself) holds this
/// lock instead: `acquire()` waits while another caller holds it, `release()` hands it to the next waiter.
///
/// Owned by one actor and used on it only: `acquire()` runs on the caller's isolation.
final class PostLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init() {}

    func acquire(isolation: isolated (any Actor)? = #isolation) async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation(isolation: isolation) { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
