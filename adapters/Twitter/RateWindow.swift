import Foundation
import ReplyTensorHTTP

/// One rate-limit window as the `x-rate-limit-*` (or `x-*-limit-24hour-*`) headers describe it.
public struct RateWindow: Sendable, Hashable {
    public var limit: Int
    public var remaining: Int
    /// When the window resets.
    public var reset: Date

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

    /// Stored form: `limit/remaining/reset-epoch`.
    var stored: String { "\(limit)/\(remaining)/\(Int(reset.timeIntervalSince1970.rounded(.up)))" }

    init?(stored: String) {
        let parts = stored.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 3 else { return nil }
        self.init(limit: Int(parts[0]), remaining: Int(parts[1]), reset: Date(timeIntervalSince1970: parts[2]))
    }

    /// How long to wait before another request may go: zero while requests remain or the window has reset.
    func wait(at now: Date) -> TimeInterval {
        remaining > 0 || reset <= now ? 0 : reset.timeIntervalSince(now) + 0.25
    }

    /// The interval that spreads the remaining requests evenly until the reset.
    func evenInterval(at now: Date) -> TimeInterval {
        let left = reset.timeIntervalSince(now)
        guard left > 0 else { return 0 }
        if remaining <= 0 { return left + 0.25 }
        return left / Double(remaining)
    }
}
