import Foundation
import PostgresNIO
import ReplyTensorCore

extension PostgresStore: CursorStore {
    public func cursors(for platform: Platform) async throws -> [String: String] {
        var values: [String: String] = [:]
        for row in try await rows("SELECT scope, value FROM cursors WHERE platform = \(platform.rawValue)") {
            let (scope, value) = try row.decode((String, String).self)
            values[scope] = value
        }
        return values
    }

    public func saveCursors(_ values: [String: String], for platform: Platform, at date: Date) async throws {
        guard !values.isEmpty else { return }
        let pairs = Array(values)
        try await execute("""
            INSERT INTO cursors (platform, scope, value, updated_at)
            SELECT \(platform.rawValue), scope, value, \(date.timeIntervalSince1970)
            FROM unnest(\(pairs.map(\.key)), \(pairs.map(\.value))) AS batch(scope, value)
            ON CONFLICT (platform, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
    }
}

extension PostgresStore: RateLimitStore {
    public func block(_ block: RateBlock) async throws {
        try await execute("""
            INSERT INTO rate_blocks (platform, scope, until, reason)
            VALUES (\(block.platform.rawValue), \(block.scope), \(block.until.timeIntervalSince1970), \(block.reason))
            ON CONFLICT (platform, scope) DO UPDATE SET until = excluded.until, reason = excluded.reason
            """)
    }

    public func blocks(for platform: Platform?, activeAt date: Date) async throws -> [RateBlock] {
        let name = platform?.rawValue
        return try await rows("""
            SELECT platform, scope, until, reason FROM rate_blocks
            WHERE until > \(date.timeIntervalSince1970) AND (\(name)::text IS NULL OR platform = \(name))
            ORDER BY until
            """).map { row in
            let (platform, scope, until, reason) = try row.decode((String, String, Double, String).self)
            return RateBlock(platform: Platform(rawValue: platform), scope: scope,
                             until: Date(timeIntervalSince1970: until), reason: reason)
        }
    }
}

extension PostgresStore: TokenStore {
    public func token(_ name: String) async throws -> String? {
        try await rows("SELECT value FROM tokens WHERE name = \(name)").first?.decode(String.self)
    }

    public func saveToken(_ name: String, value: String, at date: Date) async throws {
        try await execute("""
            INSERT INTO tokens (name, value, updated_at) VALUES (\(name), \(value), \(date.timeIntervalSince1970))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
    }

    /// The token's row stays locked (`FOR UPDATE`) while `rotate` runs, so a second replica rotating at the same
    /// moment waits and then sees the first one's token. A missing row is inserted first (empty, invisible to others
    /// until commit, removed by the rollback when `rotate` throws) so there is a row to lock.
    public func rotateToken(_ name: String, at date: Date,
                            _ rotate: @Sendable (String?) async throws -> String) async throws -> String {
        try await transactionRunning { connection in
            let inserted = try await connection.rows("""
                INSERT INTO tokens (name, value, updated_at) VALUES (\(name), '', \(date.timeIntervalSince1970))
                ON CONFLICT (name) DO NOTHING RETURNING 1
                """)
            let stored = try await connection.rows("SELECT value FROM tokens WHERE name = \(name) FOR UPDATE")
                .first?.decode(String.self)
            let next = try await CallerError.passing { try await rotate(inserted.isEmpty ? stored : nil) }
            try await connection.execute("""
                UPDATE tokens SET value = \(next), updated_at = \(date.timeIntervalSince1970) WHERE name = \(name)
                """)
            return next
        }
    }
}

extension PostgresStore: AdapterStateStore {
    public func value(_ key: String, for platform: Platform) async throws -> String? {
        try await rows("SELECT value FROM adapter_state WHERE platform = \(platform.rawValue) AND key = \(key)")
            .first?.decode(String.self)
    }

    public func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws {
        if let value {
            try await execute("""
                INSERT INTO adapter_state (platform, key, value, updated_at)
                VALUES (\(platform.rawValue), \(key), \(value), \(date.timeIntervalSince1970))
                ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
        } else {
            try await execute("DELETE FROM adapter_state WHERE platform = \(platform.rawValue) AND key = \(key)")
        }
    }

    public func values(for platform: Platform) async throws -> [String: String] {
        var values: [String: String] = [:]
        for row in try await rows("SELECT key, value FROM adapter_state WHERE platform = \(platform.rawValue)") {
            let (key, value) = try row.decode((String, String).self)
            values[key] = value
        }
        return values
    }

    /// The row stays locked while `transform` runs (inserted first when missing, as in `rotateToken`), so updates
    /// by several replicas never overwrite each other.
    public func updateValue(_ key: String, platform: Platform, at date: Date,
                            _ transform: @Sendable (String?) throws -> String?) async throws -> String? {
        let time = date.timeIntervalSince1970
        return try await transactionRunning { connection in
            let inserted = try await connection.rows("""
                INSERT INTO adapter_state (platform, key, value, updated_at) VALUES (\(platform.rawValue), \(key), '', \(time))
                ON CONFLICT (platform, key) DO NOTHING RETURNING 1
                """)
            let stored = try await connection.rows("""
                SELECT value FROM adapter_state WHERE platform = \(platform.rawValue) AND key = \(key) FOR UPDATE
                """).first?.decode(String.self)
            let next = try CallerError.passing { try transform(inserted.isEmpty ? stored : nil) }
            if let next {
                try await connection.execute("""
                    UPDATE adapter_state SET value = \(next), updated_at = \(time)
                    WHERE platform = \(platform.rawValue) AND key = \(key)
                    """)
            } else {
                try await connection.execute(
                    "DELETE FROM adapter_state WHERE platform = \(platform.rawValue) AND key = \(key)")
            }
            return next
        }
    }
}
