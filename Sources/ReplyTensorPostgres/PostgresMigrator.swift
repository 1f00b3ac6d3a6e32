import Foundation
import Logging
import PostgresNIO
import ReplyTensorCore

/// Versioned, append-only migrations recorded in `schema_migrations`, applied on one connection under a session
/// advisory lock so replicas starting together migrate once (the others wait, then find the work done). Never edit
/// a shipped migration: add a new one.
enum PostgresMigrator {
    /// The key of the migration lock (one bigint; `exclusively` and the send windows use two-int keys, a separate
    /// key space in `pg_locks`).
    static let lockKey: Int64 = 0x5265_706C_7954_0001

    static let migrations: [(version: Int, sql: [String])] = [(1, version1)]

    static var latest: Int { migrations.last?.version ?? 0 }

    /// Connects once (reachability), then applies what is missing. Errors: `.storage` naming host:port when the
    /// server cannot be reached or refuses us, `.config` when the schema is newer than this binary knows.
    static func migrate(location: PostgresLocation, password: String?, tls: PostgresTLS) async throws {
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port,
                                                             username: location.user, password: password,
                                                             database: location.database, tls: tls.connectionTLS)
        configuration.options.connectTimeout = .seconds(10)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0,
                                                              logger: PostgresStore.quiet)
        } catch {
            throw BotError(.storage, "cannot reach PostgreSQL at \(location.endpoint): "
                + PostgresErrorText.describe(error))
        }
        do {
            try await migrate(on: connection)
            try? await connection.close()
        } catch {
            try? await connection.close()
            if let error = error as? BotError { throw error }
            throw BotError(.storage, "cannot migrate the store at PostgreSQL \(location.endpoint): "
                + PostgresErrorText.describe(error))
        }
    }

    private static func migrate(on connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_advisory_lock(\(lockKey))")
        do {
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, applied_at double precision NOT NULL)
                """)
            let applied = try await connection.rows("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                .first?.decode(Int.self) ?? 0
            if applied > latest {
                throw BotError(.config, "the store's schema (v\(applied)) is newer than this replytensor (v\(latest)): "
                    + "upgrade the binary")
            }
            for migration in migrations where migration.version > applied {
                try await PostgresStore.transaction(on: connection) { connection in
                    for statement in migration.sql { try await connection.execute(PostgresQuery(unsafeSQL: statement)) }
                    try await connection.execute("""
                        INSERT INTO schema_migrations (version, applied_at)
                        VALUES (\(migration.version), \(Date().timeIntervalSince1970))
                        """)
                }
            }
        } catch {
            _ = try? await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
            throw error
        }
        try await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
    }

    /// The whole schema: the SQLite store's tables (messages as `MessageRecord` bytes, reply ids and parts as text
    /// arrays) plus claims, replicas, leases and send windows.
    static let version1 = [
        """
        CREATE TABLE mentions (
            platform text NOT NULL, id text NOT NULL, state text NOT NULL, attempts integer NOT NULL DEFAULT 0,
            reason text, reply_ids text[] NOT NULL DEFAULT '{}', reply_parts text[] NOT NULL DEFAULT '{}',
            message bytea NOT NULL, chat_id text NOT NULL, author_id text NOT NULL,
            admitted_at double precision NOT NULL, updated_at double precision NOT NULL,
            claimed_at double precision, backend text, claimed_by text, claim_expires double precision,
            PRIMARY KEY (platform, id))
        """,
        // Open mentions are few: resumed, taken by replicas and kept claimed by heartbeats through this index.
        "CREATE INDEX mentions_open ON mentions (admitted_at) WHERE state IN ('received', 'responding', 'posting')",
        "CREATE INDEX mentions_open_claims ON mentions (claimed_by) WHERE state IN ('received', 'responding', 'posting')",
        "CREATE INDEX mentions_claims ON mentions (claimed_at, platform, author_id, chat_id) WHERE claimed_at IS NOT NULL",
        "CREATE INDEX mentions_updated ON mentions (updated_at)",
        """
        CREATE TABLE cursors (platform text NOT NULL, scope text NOT NULL, value text NOT NULL,
            updated_at double precision NOT NULL, PRIMARY KEY (platform, scope))
        """,
        "CREATE TABLE meta (key text PRIMARY KEY, value text)",
        """
        CREATE TABLE rate_blocks (platform text NOT NULL, scope text NOT NULL, until double precision NOT NULL,
            reason text NOT NULL, PRIMARY KEY (platform, scope))
        """,
        "CREATE TABLE tokens (name text PRIMARY KEY, value text NOT NULL, updated_at double precision NOT NULL)",
        """
        CREATE TABLE adapter_state (platform text NOT NULL, key text NOT NULL, value text NOT NULL,
            updated_at double precision NOT NULL, PRIMARY KEY (platform, key))
        """,
        """
        CREATE TABLE conversation_log (platform text NOT NULL, chat_id text NOT NULL, message_id text NOT NULL,
            parent_id text, author_id text NOT NULL, author_name text NOT NULL, from_bot boolean NOT NULL,
            text text NOT NULL, at double precision NOT NULL, PRIMARY KEY (platform, chat_id, message_id))
        """,
        "CREATE INDEX conversation_log_at ON conversation_log (at)",
        """
        CREATE TABLE replicas (name text PRIMARY KEY, host text NOT NULL, pid integer NOT NULL,
            incarnation text NOT NULL, started_at double precision NOT NULL, heartbeat_at double precision NOT NULL)
        """,
        "CREATE TABLE leases (name text PRIMARY KEY, holder text NOT NULL, expires double precision NOT NULL)",
        """
        CREATE TABLE send_windows (key text NOT NULL, send_id text NOT NULL, at double precision NOT NULL,
            settled boolean NOT NULL DEFAULT false)
        """,
        "CREATE INDEX send_windows_key ON send_windows (key, at)",
        "CREATE INDEX send_windows_unsettled ON send_windows (send_id) WHERE NOT settled",
    ]
}
