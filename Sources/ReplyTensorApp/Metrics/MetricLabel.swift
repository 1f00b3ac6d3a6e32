import Synchronization

/// Turns free-text reasons and URL paths into bounded label values, so a hostile input cannot grow the number of
/// time series without limit.
public final class MetricLabel: Sendable {
    private let limit: Int
    private let seen = Mutex<Set<String>>([])

    public init(limit: Int) {
        self.limit = limit
    }

    /// The reason's leading code ("blocklist.user", "responder", "platform"…): text before the first ':' or space,
    /// lower-cased, at most 40 characters of [a-z0-9._-]; "other" once `limit` distinct values were seen.
    public func reason(_ text: String) -> String {
        let head = text.prefix { $0 != ":" && $0 != " " && $0 != "(" }.lowercased()
        let cleaned = String(head.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }.prefix(40))
        return bounded(cleaned.isEmpty ? "unspecified" : cleaned)
    }

    /// The endpoint family of a URL path: numeric ids become ":id", a Telegram token segment becomes "bot:token",
    /// at most four segments.
    public func endpoint(_ path: String) -> String {
        let segments = path.split(separator: "/").prefix(4).map { segment -> String in
            if segment.hasPrefix("bot") && segment.contains(":") { return "bot:token" }
            if segment.allSatisfy(\.isNumber) || segment.count > 40 { return ":id" }
            return String(segment.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) })
        }
        return bounded("/" + segments.joined(separator: "/"))
    }

    private func bounded(_ value: String) -> String {
        seen.withLock { seen in
            if seen.contains(value) { return value }
            guard seen.count < limit else { return "other" }
            seen.insert(value)
            return value
        }
    }
}
