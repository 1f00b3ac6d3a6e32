import Foundation
import ReplyTensorHTTP

/// One rate-limit window as the `x-rate-limit-*` (or `x-*-limit-24hour-*`) headers describe it.
public struct RateWindow: Sendable, Hashable {
    public var limit: Int
    public var remaining: Int
    /// When the window resets.
    public var reset: Date
    /// A placeholder while one replica's request probes a window that has reset (shared store only): the others wait
    /// for its answer, which replaces this, or for `reset` (the probe's deadline).
    public var probing = false

    public init(limit: Int, remaining: Int, reset: Date) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// Reads `<prefix>-limit`, `-remaining`, `-reset` (epoch seconds).
    init?(headers: HTTPHeaders, prefix: String) {
        guard let remaining = headers["\(prefix)-remaining"].flatMap({ Int($0) }),
              let reset = headers["\(prefix)-reset"].flatMap({ Double($0) }) else { return nil }
        self.limit = headers["\(prefix)-limit"].flatMap { Int($0) } ?? max(remaining, 1)
        self.remaining = remaining
        self.reset = Date(timeIntervalSince1970: reset)
    }

    /// Stored form: `limit/remaining/reset-epoch`, with `/probe` for a probe's placeholder.
    var stored: String {
        "\(limit)/\(remaining)/\(Int(reset.timeIntervalSince1970.rounded(.up)))" + (probing ? "/probe" : "")
    }

    init?(stored: String) {
        var fields = stored.split(separator: "/")
        let probing = fields.count == 4 && fields.last == "probe"
        if probing { fields.removeLast() }
        let parts = fields.compactMap { Double($0) }
        guard parts.count == 3, fields.count == 3 else { return nil }
        self.init(limit: Int(parts[0]), remaining: Int(parts[1]), reset: Date(timeIntervalSince1970: parts[2]))
        self.probing = probing
    }

    /// How long to wait before another request may go: zero while requests remain or the window has reset. With a
    /// `margin`, a window that resets sooner than that counts as exhausted (a request sent then could reach X in
    /// the next window, uncounted there). A probe's placeholder is looked at again every quarter second.
    func wait(at now: Date, margin: TimeInterval = 0) -> TimeInterval {
        let left = reset.timeIntervalSince(now)
        guard left > 0 else { return 0 }
        if probing { return min(0.25, left) }
        return remaining > 0 && left >= margin ? 0 : left + 0.25
    }

    /// Counts one request going out at `now`; false when the window has reset or is spent (nothing counted).
    mutating func count(at now: Date) -> Bool {
        guard reset > now, remaining > 0, !probing else { return false }
        remaining -= 1
        return true
    }

    /// The window after a 429 without usable headers (a full 15-minute window), or nil when it is already spent.
    static func exhausted(_ window: RateWindow?, at now: Date) -> RateWindow? {
        if let window, window.remaining == 0, window.reset > now, !window.probing { return nil }
        return RateWindow(limit: window?.limit ?? 1, remaining: 0, reset: now.addingTimeInterval(900))
    }

    /// This stored window with an answer's headers merged in (shared store): the answer replaces a probe's
    /// placeholder or an older window; for the same window the lower remaining count wins, since the stored one
    /// also counts requests other replicas reserved that X has not seen yet. An answer from a window that has
    /// already reset says nothing new.
    func merged(with answer: RateWindow, at now: Date) -> RateWindow {
        if probing { return answer.reset > now ? answer : self }
        if answer.reset > reset { return answer }
        guard answer.reset == reset else { return self }
        var merged = answer
        merged.remaining = min(remaining, answer.remaining)
        return merged
    }

    /// The interval that spreads the remaining requests evenly until the reset.
    func evenInterval(at now: Date) -> TimeInterval {
        let left = reset.timeIntervalSince(now)
        guard left > 0 else { return 0 }
        if remaining <= 0 { return left + 0.25 }
        return left / Double(remaining)
    }
}
