import Foundation
import ReplyTensorCore

/// The window arithmetic of `TwitterRateWindows` when several replicas share the store: the stored window is read and
/// changed in one atomic step (`AdapterStateStore.updateValue`) for every reservation and every answer, so the
/// requests of all replicas together stay inside X's windows.
///
/// - A reservation counts the request down in the stored window. Stored counts are never above X's: they count
///   every request reserved, X only those that arrived; merging an answer keeps the lower count.
/// - A window that has reset is probed by one request at a time: its reservation stores a placeholder (`probing`)
///   the others wait on until the answer brings the new window (or `probeTimeout` passes), so no two requests go
///   into a window nobody has seen yet.
/// - A window about to reset (`boundaryMargin`) counts as spent: a request sent then could arrive in the next window,
///   where no one counted it.
/// - A window never seen (no answer carried it yet) limits nothing, as with one process: until the first answer
///   describes it, each replica may have a request in that first window that the others do not count (X then
///   answers 429 at worst, which is handled as always). Every later window is probed as above.
/// - A probe whose request fails without an answer leaves its placeholder until `probeTimeout`.
///
/// Used by its `TwitterRateWindows` only, on that owner's isolation.
final class TwitterSharedRateWindows {
    static let boundaryMargin: TimeInterval = 1
    /// How long a probe may take before another replica probes instead (the request timeout).
    static let probeTimeout: TimeInterval = 30
    /// How old the windows read for `wait(for:)` may be.
    static let freshness: TimeInterval = 0.25

    private var readAt: [String: Date] = [:]

    /// Thrown inside a reservation's transform: the window makes the request wait `seconds` (nothing written).
    private struct MustWait: Error {
        var seconds: TimeInterval
    }

    func reserve(_ keys: [String], of owner: TwitterRateWindows,
                 isolation: isolated (any Actor)? = #isolation) async throws -> Duration? {
        let now = owner.now()
        for key in keys {
            do {
                let value = try await owner.state.updateValue(key, platform: .twitter, at: now) { stored in
                    try Self.reserving(stored, at: now)
                }
                remember(key, value, in: owner, at: now)
            } catch let wait as MustWait {
                // Keys reserved before this one stay counted: a slot lost, never one too many.
                return .milliseconds(Int64(wait.seconds * 1000) + 1)
            }
        }
        return nil
    }

    /// The stored window with one request counted; throws `MustWait` when it must wait.
    private static func reserving(_ stored: String?, at now: Date) throws -> String? {
        guard let stored, var window = RateWindow(stored: stored) else { return stored }
        let wait = window.wait(at: now, margin: boundaryMargin)
        if wait > 0 { throw MustWait(seconds: wait) }
        if window.count(at: now) { return window.stored }
        var probe = RateWindow(limit: window.limit, remaining: 0, reset: now.addingTimeInterval(probeTimeout))
        probe.probing = true
        return probe.stored
    }

    func merge(_ answer: RateWindow, into key: String, of owner: TwitterRateWindows,
               isolation: isolated (any Actor)? = #isolation) async throws {
        let now = owner.now()
        let before = owner.windows[key]
        let value = try await owner.state.updateValue(key, platform: .twitter, at: now) { stored in
            guard let stored, let window = RateWindow(stored: stored) else { return answer.stored }
            return window.merged(with: answer, at: now).stored
        }
        remember(key, value, in: owner, at: now)
        if let window = owner.windows[key], window.remaining == 0, !window.probing, window != before {
            owner.logExhausted(key, window)
        }
    }

    func exhaust(_ key: String, of owner: TwitterRateWindows, isolation: isolated (any Actor)? = #isolation)
        async throws {
        let now = owner.now()
        let value = try await owner.state.updateValue(key, platform: .twitter, at: now) { stored in
            RateWindow.exhausted(stored.flatMap(RateWindow.init(stored:)), at: now)?.stored ?? stored
        }
        remember(key, value, in: owner, at: now)
    }

    /// Ends a probe whose answer did not describe the window: the next reservation probes again.
    func endProbe(_ key: String, of owner: TwitterRateWindows, isolation: isolated (any Actor)? = #isolation)
        async throws {
        let now = owner.now()
        let value = try await owner.state.updateValue(key, platform: .twitter, at: now) { stored in
            guard let stored, var window = RateWindow(stored: stored), window.probing else { return stored }
            window.probing = false
            window.reset = now
            return window.stored
        }
        remember(key, value, in: owner, at: now)
    }

    /// Reads the windows of `keys` read longer ago than `freshness`.
    func refresh(_ keys: [String], of owner: TwitterRateWindows, isolation: isolated (any Actor)? = #isolation)
        async throws {
        let now = owner.now()
        for key in keys where now.timeIntervalSince(readAt[key] ?? .distantPast) >= Self.freshness {
            remember(key, try await owner.state.value(key, for: .twitter), in: owner, at: now)
        }
    }

    private func remember(_ key: String, _ value: String?, in owner: TwitterRateWindows, at now: Date) {
        owner.windows[key] = value.flatMap(RateWindow.init(stored:))
        readAt[key] = now
    }
}
