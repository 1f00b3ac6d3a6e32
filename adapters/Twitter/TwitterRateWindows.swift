import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// The X rate-limit windows the adapter knows: the 15-minute window of each endpoint (`x-rate-limit-*`, stored as
/// `rate.<endpoint>`) and the 24-hour caps (`x-app-limit-24hour-*` / `x-user-limit-24hour-*`, stored as `cap.app24` /
/// `cap.user24`). Loaded once from the adapter state store (so restarts honour them), persisted when an answer
/// changes one, and counted down as requests are reserved.
///
/// Owned by one adapter and used on its actor only: the async methods run on the caller's isolation.
final class TwitterRateWindows {
    static let mentions = "rate.mentions"
    static let post = "rate.tweets.post"
    static let me = "rate.users.me"
    static let timeline = "rate.users.tweets"
    static let appCap = "cap.app24"
    static let userCap = "cap.user24"

    private let state: any AdapterStateStore
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var windows: [String: RateWindow] = [:]
    private var loaded = false
    /// The stored form of each window as last written.
    private var stored: [String: String] = [:]

    init(state: any AdapterStateStore, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.state = state
        self.now = now
        self.logger = logger
    }

    /// The window stored under `key`, if one is known.
    subscript(key: String) -> RateWindow? { windows[key] }

    /// Reads the stored windows, once.
    func load(isolation: isolated (any Actor)? = #isolation) async throws {
        guard !loaded else { return }
        for key in [Self.mentions, Self.post, Self.me, Self.timeline, Self.appCap, Self.userCap] {
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
        for (name, window) in changed {
            windows[name] = window
            // Compared with what is stored, not with memory (a reservation may already have counted this request).
            guard stored[name] != window.stored else { continue }
            stored[name] = window.stored
            try await state.setValue(window.stored, for: name, platform: .twitter, at: now())
            if window.remaining == 0 {
                logger.notice("rate-limit window exhausted", metadata: [
                    "window": "\(name)", "reset": "\(window.reset.formatted(.iso8601))"])
            }
        }
    }

    /// A 429 without usable headers: wait a full 15-minute window.
    func exhaust(_ key: String, isolation: isolated (any Actor)? = #isolation) async throws {
        let now = now()
        if let window = windows[key], window.remaining == 0, window.reset > now { return }
        let window = RateWindow(limit: windows[key]?.limit ?? 1, remaining: 0, reset: now.addingTimeInterval(900))
        windows[key] = window
        stored[key] = window.stored
        try await state.setValue(window.stored, for: key, platform: .twitter, at: now)
    }

    /// Like `wait(for:)`, and when the request may go, counts it in the windows at once (the answer's headers then
    /// replace the count), so nothing that runs meanwhile can spend the same request. The last request of a window
    /// is stored before it leaves: a bot killed before the answer is recorded must not restart believing one more
    /// request is allowed.
    func reserve(_ keys: [String], isolation: isolated (any Actor)? = #isolation) async throws -> Duration? {
        if let wait = wait(for: keys) { return wait }
        let now = now()
        var spent: [(String, RateWindow)] = []
        for key in keys {
            if var window = windows[key], window.reset > now, window.remaining > 0 {
                window.remaining -= 1
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

    /// How long to wait before a request limited by `keys` may go; nil when it may go now.
    func wait(for keys: [String]) -> Duration? {
        let now = now()
        let seconds = keys.compactMap { windows[$0]?.wait(at: now) }.max() ?? 0
        return seconds > 0 ? .milliseconds(Int64(seconds * 1000) + 1) : nil
    }
}
