import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The X rate-limit windows the adapter knows: the 15-minute window of each endpoint (`x-rate-limit-*`, stored as
/// `rate.<endpoint>`) and the 24-hour caps (`x-app-limit-24hour-*` / `x-user-limit-24hour-*`, stored as `cap.app24` /
/// `cap.user24`). Loaded once from the adapter state store (so restarts honour them), persisted when an answer
/// changes one, and counted down as requests are reserved.
///
/// With a shared store (several replicas, `AdapterEnvironment.isSharedStore`) the stored windows are the truth, and
/// every replica counts its requests in them (`TwitterSharedRateWindows`): each reservation counts down the stored
/// window atomically (`updateValue`), each answer's headers are merged into it, and waits are computed from values
/// read at most a quarter second ago. One process alone keeps its windows in memory and persists what changed.
///
/// Owned by one adapter and used on its actor only: the async methods run on the caller's isolation.
final class TwitterRateWindows {
    static let mentions = "rate.mentions"
    static let post = "rate.tweets.post"
    static let me = "rate.users.me"
    static let timeline = "rate.users.tweets"
    static let appCap = "cap.app24"
    static let userCap = "cap.user24"
    static let all = [mentions, post, me, timeline, appCap, userCap]

    let state: any AdapterStateStore
    let now: @Sendable () -> Date
    let logger: Logger
    /// Set when several replicas share the store.
    let shared: TwitterSharedRateWindows?
    /// The windows as last read, written or counted.
    var windows: [String: RateWindow] = [:]
    private var loaded = false
    /// The stored form of each window as last written (one process).
    private var stored: [String: String] = [:]

    init(state: any AdapterStateStore, now: @escaping @Sendable () -> Date, logger: Logger, shared: Bool = false) {
        self.state = state
        self.now = now
        self.logger = logger
        self.shared = shared ? TwitterSharedRateWindows() : nil
    }

    /// The window stored under `key`, if one is known.
    subscript(key: String) -> RateWindow? { windows[key] }

    /// Reads the stored windows, once.
    func load(isolation: isolated (any Actor)? = #isolation) async throws {
        guard !loaded else { return }
        for key in Self.all {
            if let value = try await state.value(key, for: .twitter), let window = RateWindow(stored: value) {
                windows[key] = window
                stored[key] = value
            }
        }
        loaded = true
    }

    /// Remembers (and persists) the windows the headers of an answer describe.
    func record(_ headers: HTTPHeaders, window key: String, isolation: isolated (any Actor)? = #isolation)
        async throws {
        var changed: [(String, RateWindow)] = []
        if let window = RateWindow(headers: headers, prefix: "x-rate-limit") { changed.append((key, window)) }
        if let window = RateWindow(headers: headers, prefix: "x-app-limit-24hour") {
            changed.append((Self.appCap, window))
        }
        if let window = RateWindow(headers: headers, prefix: "x-user-limit-24hour") {
            changed.append((Self.userCap, window))
        }
        if changed.first?.0 != key, let shared {
            try await shared.endProbe(key, of: self)  // an answer without the window's headers: probe again
        }
        for (name, window) in changed {
            if let shared {
                try await shared.merge(window, into: name, of: self)
                continue
            }
            windows[name] = window
            // Compared with what is stored, not with memory (a reservation may already have counted this request).
            guard stored[name] != window.stored else { continue }
            stored[name] = window.stored
            try await state.setValue(window.stored, for: name, platform: .twitter, at: now())
            if window.remaining == 0 { logExhausted(name, window) }
        }
    }

    func logExhausted(_ name: String, _ window: RateWindow) {
        logger.notice("rate-limit window exhausted", metadata: [
            "window": "\(name)", "reset": "\(window.reset.formatted(.iso8601))"])
    }

    /// A 429 without usable headers: wait a full 15-minute window.
    func exhaust(_ key: String, isolation: isolated (any Actor)? = #isolation) async throws {
        if let shared { return try await shared.exhaust(key, of: self) }
        let now = now()
        guard let window = RateWindow.exhausted(windows[key], at: now) else { return }
        windows[key] = window
        stored[key] = window.stored
        try await state.setValue(window.stored, for: key, platform: .twitter, at: now)
    }

    /// Like `wait(for:)`, and when the request may go, counts it in the windows at once (the answer's headers then
    /// replace the count), so nothing that runs meanwhile can spend the same request. The last request of a window
    /// is stored before it leaves: a bot killed before the answer is recorded must not restart believing one more
    /// request is allowed.
    func reserve(_ keys: [String], isolation: isolated (any Actor)? = #isolation) async throws -> Duration? {
        if let shared { return try await shared.reserve(keys, of: self) }
        if let wait = knownWait(for: keys) { return wait }
        let now = now()
        var spent: [(String, RateWindow)] = []
        for key in keys {
            if var window = windows[key], window.count(at: now) {
                windows[key] = window
                if window.remaining == 0 { spent.append((key, window)) }
            }
        }
        for (key, window) in spent where stored[key] != window.stored {
            stored[key] = window.stored
            try await state.setValue(window.stored, for: key, platform: .twitter, at: now)
        }
        return nil
    }

    /// How long to wait before a request limited by `keys` may go; nil when it may go now. With a shared store the
    /// windows are read again first when the last read is older than a quarter second.
    func wait(for keys: [String], isolation: isolated (any Actor)? = #isolation) async throws -> Duration? {
        if let shared { try await shared.refresh(keys, of: self) }
        return knownWait(for: keys)
    }

    /// `wait(for:)` from the windows as last read (right after an answer was recorded, they are current).
    func knownWait(for keys: [String]) -> Duration? {
        let now = now()
        let margin = shared == nil ? 0 : TwitterSharedRateWindows.boundaryMargin
        let seconds = keys.compactMap { windows[$0]?.wait(at: now, margin: margin) }.max() ?? 0
        return seconds > 0 ? .milliseconds(Int64(seconds * 1000) + 1) : nil
    }
}
