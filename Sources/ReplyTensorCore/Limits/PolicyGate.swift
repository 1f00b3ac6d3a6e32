import Foundation

/// Checks the operator's policy and claims the mention in one step, so concurrent workers cannot both pass a
/// limit that has room for one. Actors are reentrant across `await`, so the step holds an explicit turn.
actor PolicyGate {
    enum Outcome: Sendable { case claimed, refused(String), notClaimable }

    let limits: PolicyLimits
    let now: @Sendable () -> Date
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limits: PolicyLimits, now: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.now = now
    }

    func claim(_ message: InboundMessage, ledger: any MentionLedger) async throws -> Outcome {
        await acquire()
        defer { release() }
        let date = now()
        if let existing = try await ledger.entry(message.key), existing.state == .responding, existing.claimedAt != nil {
            // Resumed after a restart: it was counted when first claimed.
            return try await ledger.claim(message.key, at: date) ? .claimed : .notClaimable
        }
        if let reason = try await limits.violation(for: message, at: date, ledger: ledger) { return .refused(reason) }
        return try await ledger.claim(message.key, at: date) ? .claimed : .notClaimable
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
