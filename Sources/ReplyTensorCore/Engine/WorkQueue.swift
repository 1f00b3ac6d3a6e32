/// Mentions waiting for a worker. A key is never queued twice or handed to two workers at once.
actor WorkQueue {
    private var pending: [MentionKey] = []
    private var known: Set<MentionKey> = []
    private var waiters: [CheckedContinuation<MentionKey?, Never>] = []
    private(set) var isClosed = false

    /// Adds a key unless it is already pending or in progress.
    func enqueue(_ key: MentionKey) {
        guard !isClosed, !known.contains(key) else { return }
        known.insert(key)
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: key)
        } else {
            pending.append(key)
        }
    }

    /// The next key, or nil once the queue is closed. Pending keys are dropped on close: they stay `received`
    /// in the ledger and are resumed on the next start.
    func next() async -> MentionKey? {
        if isClosed { return nil }
        if !pending.isEmpty { return pending.removeFirst() }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks a key as done so it may be queued again (e.g. a retry).
    func done(_ key: MentionKey) { known.remove(key) }

    func close() {
        isClosed = true
        pending.removeAll()
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    var count: Int { pending.count }
}
