import Foundation

/// Discord ids: 64-bit numbers written as strings; the top 42 bits are milliseconds since 2015-01-01.
enum DiscordSnowflake {
    static let epochMilliseconds: UInt64 = 1_420_070_400_000

    /// Orders two ids numerically (strings of different lengths compare wrongly as text).
    static func isAfter(_ lhs: String, _ rhs: String) -> Bool {
        switch (UInt64(lhs), UInt64(rhs)) {
        case let (left?, right?): return left > right
        default: return lhs.count != rhs.count ? lhs.count > rhs.count : lhs > rhs
        }
    }

    static func max(_ lhs: String, _ rhs: String) -> String { isAfter(lhs, rhs) ? lhs : rhs }

    /// The id just below `id`: `after=` this id includes the object with `id` itself (`after` is exclusive).
    static func below(_ id: String) -> String {
        guard let value = UInt64(id), value > 0 else { return id }
        return String(value - 1)
    }

    /// The id a message written at `date` would have at least (for "start from now" cursors).
    static func at(_ date: Date) -> String {
        let milliseconds = UInt64(Swift.max(0, date.timeIntervalSince1970 * 1000))
        let offset = milliseconds > epochMilliseconds ? milliseconds - epochMilliseconds : 0
        return String(offset << 22)
    }

    /// When the object with this id was created.
    static func date(_ id: String) -> Date? {
        guard let value = UInt64(id) else { return nil }
        return Date(timeIntervalSince1970: Double((value >> 22) + epochMilliseconds) / 1000)
    }

    /// A short base-36 form (at most 13 characters), used in nonces.
    static func compact(_ id: String) -> String {
        guard let value = UInt64(id) else { return String(id.suffix(13)) }
        return String(value, radix: 36)
    }
}
