import Foundation

/// Checks the operator's policy and claims the mention in one step, so concurrent workers cannot both pass a
/// limit that has room for one. Actors are reentrant across `await`, so the step holds an `AsyncLock`.
actor PolicyGate {
    enum Outcome: Sendable { case claimed, refused(String), notClaimable }

    let limits: PolicyLimits
    let now: @Sendable () -> Date
    private let turn = AsyncLock()
    /// Replicas sharing the store count and claim under one advisory lock, so together they keep each limit.
    let shared: (any ReplicaCoordinator)?

    init(limits: PolicyLimits, now: @escaping @Sendable () -> Date, shared: (any ReplicaCoordinator)? = nil) {
        self.limits = limits
        self.now = now
        self.shared = shared
    }

    /// Claims `entry` (as the ledger held it when its work began) unless the policy refuses; `logging` goes into the
    /// conversation log with the claim.
    /// Without limits (or for a mention counted when first claimed) there is nothing to check, and claims do not
    /// wait for each other.
    func claim(_ entry: LedgerEntry, ledger: any MentionLedger, logging: LoggedMessage?) async throws -> Outcome {
        // Resumed after a restart: it was counted when first claimed.
        let counted = entry.state == .responding && entry.claimedAt != nil
        guard limits.isLimited, !counted else {
            return try await ledger.claim(entry.key, at: now(), logging: logging) ? .claimed : .notClaimable
        }
        await turn.acquire()
        defer { turn.release() }
        let step: @Sendable () async throws -> Outcome = { [limits, now] in
            let date = now()
            if let reason = try await limits.violation(for: entry.message, at: date, ledger: ledger) {
                return .refused(reason)
            }
            return try await ledger.claim(entry.key, at: date, logging: logging) ? .claimed : .notClaimable
        }
        guard let shared else { return try await step() }
        return try await shared.exclusively("policy-limits", step)
    }
}
