/// Mentions waiting for a worker, as the ledger holds them. A mention is never queued twice or handed to two
/// workers at once.
actor WorkQueue {
    private var pending: [LedgerEntry] = []
    private var head = 0
    private var known: Set<MentionKey> = []
    private var waiters: [CheckedContinuation<LedgerEntry?, Never>] = []
    private(set) var isClosed = false

    /// Adds an entry unless its mention is already pending or in progress.
    func enqueue(_ entry: LedgerEntry) {
        guard !isClosed, !known.contains(entry.key) else { return }
        known.insert(entry.key)
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: entry)
        } else {
            pending.append(entry)
        }
    }

    /// The next entry, or nil once the queue is closed. Pending entries are dropped on close: they stay `received`
    /// in the ledger and are resumed on the next start.
    func next() async -> LedgerEntry? {
        if isClosed { return nil }
        if head < pending.count {
            let entry = pending[head]
            head += 1
            if head > 1024, head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
            return entry
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks a mention as done so it may be queued again (e.g. a retry).
    func done(_ key: MentionKey) { known.remove(key) }

    func close() {
        isClosed = true
        pending.removeAll()
        head = 0
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    var count: Int { pending.count - head }
    /// Mentions pending or being worked on.
    var inFlight: Int { known.count }
    var inFlightKeys: [MentionKey] { Array(known) }
}
