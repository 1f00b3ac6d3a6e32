/// Turns per name inside one process, first come first served: `exclusively` waits here before it takes a pooled
/// connection, so callers of one name never hold every connection of the pool while waiting for the advisory lock
/// (the holder's body would then wait for a connection forever).
actor NamedTurns {
    /// A name is held while it has an entry; the entry lists who waits next.
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ name: String) async {
        guard waiting[name] != nil else {
            waiting[name] = []
            return
        }
        await withCheckedContinuation { waiting[name, default: []].append($0) }
    }

    func release(_ name: String) {
        guard var queue = waiting[name] else { return }
        if queue.isEmpty {
            waiting[name] = nil
        } else {
            let next = queue.removeFirst()
            waiting[name] = queue
            next.resume()
        }
    }
}
