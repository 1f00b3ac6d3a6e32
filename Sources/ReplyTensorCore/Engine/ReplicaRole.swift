import Foundation
import Logging
import Synchronization

/// This process's part among replicas sharing one store: it records itself alive (which extends its claims), takes or
/// renews the polling lease of each platform, and says what it can prove. A replica that cannot reach the store
/// proves nothing: it then neither polls nor posts until a heartbeat succeeds again.
final class ReplicaRole: Sendable {
    let store: any ReplicaStore
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// When the last heartbeat began (claims were extended from then).
        var heartbeatAt: Date?
        /// Each lease held, until when this replica may rely on it.
        var leases: [Platform: Date] = [:]
        var unreachableSince: Date?
        var feedWaiter: CheckedContinuation<Void, Never>?
        var feedRequested = false
    }

    init(store: any ReplicaStore, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.now = now
        self.logger = logger
    }

    static func leaseName(_ platform: Platform) -> String { "poll:\(platform.rawValue)" }

    /// What is relied on of a lease or a claim: two thirds of it, leaving a third for a request in flight and for
    /// clocks a little apart (replicas' clocks are assumed NTP-synchronised).
    private var trusted: TimeInterval { store.leaseDuration.seconds * 2 / 3 }

    /// True while this replica's claims cannot have expired: its last heartbeat is recent enough.
    func holdsClaims() -> Bool {
        let date = now()
        return state.withLock { $0.heartbeatAt.map { date.timeIntervalSince($0) < trusted } ?? false }
    }

    /// True while this replica holds `platform`'s polling lease.
    func holdsLease(_ platform: Platform) -> Bool {
        let date = now()
        return state.withLock { ($0.leases[platform] ?? .distantPast) > date }
    }

    /// The leases held now, by platform.
    var leases: [Platform] {
        let date = now()
        return state.withLock { $0.leases.filter { $0.value > date }.map(\.key) }
    }

    /// Heartbeats every third of the lease and takes or renews the leases of `platforms()` every second, until
    /// cancelled. After a failure it backs off (one second, doubling to a third of the lease).
    func run(platforms: @escaping @Sendable () -> [Platform], clock: any Clock<Duration>) async {
        let heartbeatEvery = store.leaseDuration.seconds / 3
        var lastHeartbeat: Date?
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(max(1, heartbeatEvery)))
        // A store that went away may hold a request rather than fail it: a third of the lease is the longest wait.
        let limit = Duration.seconds(max(1, heartbeatEvery))
        while !Task.isCancelled {
            var wait: Duration = .seconds(1)
            do {
                if lastHeartbeat.map({ now().timeIntervalSince($0) >= heartbeatEvery }) ?? true {
                    let date = now()
                    try await answered(within: limit, clock: clock) { try await self.store.heartbeat(at: date) }
                    lastHeartbeat = date
                    recovered(heartbeatAt: date)
                }
                for platform in platforms() {
                    let date = now()
                    let held = try await answered(within: limit, clock: clock) {
                        try await self.store.holdLease(Self.leaseName(platform), at: date)
                    }
                    let until = date.addingTimeInterval(trusted)
                    let gained = state.withLock { state -> Bool in
                        let had = (state.leases[platform] ?? .distantPast) > date
                        state.leases[platform] = held ? until : nil
                        return held && !had
                    }
                    if gained {
                        logger.notice("took the polling lease", metadata: ["platform": "\(platform)"])
                    }
                }
                backoff.reset()
            } catch {
                if Task.isCancelled { return }
                lastHeartbeat = nil
                wait = backoff.next()
                unreachable(error, retryIn: wait)
            }
            do { try await clock.sleep(for: wait) } catch { return }
        }
    }

    private struct NoAnswer: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "the store did not answer within \(limit)" }
    }

    private func answered<T: Sendable>(within limit: Duration, clock: any Clock<Duration>,
                                       _ request: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withAbandoningDeadline(limit, clock: clock, onTimeout: { NoAnswer(limit: limit) }, request)
    }

    private func recovered(heartbeatAt date: Date) {
        let since = state.withLock { state -> Date? in
            defer { state.unreachableSince = nil }
            state.heartbeatAt = date
            return state.unreachableSince
        }
        if let since {
            logger.notice("store reachable again; polling and posting resume",
                          metadata: ["unreachable_for_s": "\(Int(now().timeIntervalSince(since)))"])
        }
    }

    /// Without the store nothing can be proven: every lease and claim is given up here at once.
    private func unreachable(_ error: any Error, retryIn wait: Duration) {
        let first = state.withLock { state -> Bool in
            defer { state.unreachableSince = state.unreachableSince ?? now() }
            state.heartbeatAt = nil
            state.leases.removeAll()
            return state.unreachableSince == nil
        }
        if first {
            logger.error("store unreachable: not polling or posting until it answers",
                         metadata: ["error": "\(error)", "retry_in": "\(wait)"])
        }
    }

    // MARK: Feeding

    /// Wakes `waitForFeed` (new mentions were admitted here).
    func requestFeed() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.feedWaiter = nil }
            if state.feedWaiter == nil { state.feedRequested = true }
            return state.feedWaiter
        }
        waiter?.resume()
    }

    /// Returns after `requestFeed()` or `timeout`, whichever comes first.
    func waitForFeed(timeout: Duration, clock: any Clock<Duration>) async {
        let requested = state.withLock { state -> Bool in
            defer { state.feedRequested = false }
            return state.feedRequested
        }
        if requested { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state -> Bool in
                        if state.feedRequested {
                            state.feedRequested = false
                            return true
                        }
                        state.feedWaiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await clock.sleep(for: timeout)
                self.requestFeed()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
