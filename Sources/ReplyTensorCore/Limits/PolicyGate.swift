import Foundation

/// Checks the operator's policy and claims the mention in one step, so concurrent workers cannot both pass a
/// limit that has room for one. Actors are reentrant across `await`, so the step holds an `AsyncLock`.
actor PolicyGate {
    enum Outcome: Sendable { case claimed, refused(String), notClaimable }

    let limits: PolicyLimits
    let now: @Sendable () -> Date
    private let turn = AsyncLock()

    init(limits: PolicyLimits, now: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.now = now
    }

    func claim(_ message: InboundMessage, ledger: any MentionLedger) async throws -> Outcome {
        await turn.acquire()
        defer { turn.release() }
        let date = now()
        if let existing = try await ledger.entry(message.key), existing.state == .responding, existing.claimedAt != nil {
            // Resumed after a restart: it was counted when first claimed.
            return try await ledger.claim(message.key, at: date) ? .claimed : .notClaimable
        }
        if let reason = try await limits.violation(for: message, at: date, ledger: ledger) { return .refused(reason) }
        return try await ledger.claim(message.key, at: date) ? .claimed : .notClaimable
    }
}
