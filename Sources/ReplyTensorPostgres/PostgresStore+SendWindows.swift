import Foundation
import PostgresNIO
import ReplyTensorCore

/// Send windows counted in `send_windows` (one row per send and window key). A reservation locks its keys
/// (`pg_advisory_xact_lock`, in hash order so two reservations never deadlock), counts the rows still inside each
/// window and inserts its own rows in the same transaction: N replicas together never exceed a window.
///
/// An unsettled row (the send is still going out) counts as sent "now", so the window slides from when its answer
/// came back; a row left unsettled by a replica that died counts so for `staleAfter` seconds at most.
extension PostgresStore: SendWindowStore {
    static let windowSpace: Int32 = 2
    static let staleAfter: TimeInterval = 120

    public func reserveSend(_ id: String, in windows: [SendWindow], at date: Date) async throws -> TimeInterval {
        guard !windows.isEmpty else { return 0 }
        let keys = Array(Set(windows.map(\.key))).sorted()
        let now = date.timeIntervalSince1970
        return try await transaction { connection in
            try await connection.execute("""
                SELECT pg_advisory_xact_lock(\(Self.windowSpace), h)
                FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(\(keys)) AS k ORDER BY h) AS ordered
                """)
            let wait = try await Self.wait(for: windows, keys: keys, at: now, on: connection)
            guard wait <= 0 else { return wait }
            let longest = windows.map(\.interval).max() ?? 0
            try await connection.execute("""
                DELETE FROM send_windows WHERE key = ANY(\(keys)) AND settled AND at < \(now - longest)
                """)
            try await connection.execute("""
                INSERT INTO send_windows (key, send_id, at, settled) SELECT k, \(id), \(now), false FROM unnest(\(keys)) AS k
                """)
            return 0
        }
    }

    public func pendingSend(in windows: [SendWindow], at date: Date) async throws -> TimeInterval {
        guard !windows.isEmpty else { return 0 }
        let keys = Array(Set(windows.map(\.key))).sorted()
        return try await storage {
            try await self.client.withConnection { connection in
                try await Self.wait(for: windows, keys: keys, at: date.timeIntervalSince1970, on: connection)
            }
        }
    }

    public func settleSend(_ id: String, at date: Date) async throws {
        try await execute("""
            UPDATE send_windows SET at = \(date.timeIntervalSince1970), settled = true WHERE send_id = \(id) AND NOT settled
            """)
    }

    /// The seconds until every window has room at `now` (0 when they have).
    private static func wait(for windows: [SendWindow], keys: [String], at now: Double,
                             on connection: PostgresConnection) async throws -> TimeInterval {
        let longest = windows.map(\.interval).max() ?? 0
        var times: [String: [Double]] = [:]
        for row in try await connection.rows("""
            SELECT key, CASE WHEN settled THEN at ELSE \(now) END FROM send_windows
            WHERE key = ANY(\(keys)) AND ((settled AND at > \(now - longest)) OR (NOT settled AND at > \(now - staleAfter)))
            """) {
            let (key, time) = try row.decode((String, Double).self)
            times[key, default: []].append(time)
        }
        return windows.map { window in
            SendWindowMath.wait(times: times[window.key] ?? [], limit: window.limit, interval: window.interval, now: now)
        }.max() ?? 0
    }
}

/// The sliding-window arithmetic of one window.
enum SendWindowMath {
    /// `times` are the effective send times of one key; the seconds until fewer than `limit` fall inside
    /// `(now - interval, now]`.
    static func wait(times: [Double], limit: Int, interval: TimeInterval, now: Double) -> TimeInterval {
        let inside = times.filter { $0 > now - interval }.sorted()
        guard limit > 0 else { return interval }
        guard inside.count >= limit else { return 0 }
        // The oldest (count - limit + 1) must leave the window for one more send to fit.
        let leaving = inside[inside.count - limit]
        return max(leaving + interval - now, 0.001)
    }
}
