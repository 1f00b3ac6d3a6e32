import Foundation
import ReplyTensorCore

/// Where a PostgreSQL store lives: `postgresql://USER@HOST:PORT/DB?sslmode=disable|require|verify-full` (also
/// `postgres://`, port 5432 by default). The password never appears in it: it comes from `store_password_env` or
/// `store_password_file`, so a URL can be logged and shown in `status`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is encrypted (libpq's `sslmode` names).
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS without verifying the server's certificate.
        case require
        /// TLS with the certificate verified against the system's trust roots and the host name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    public init(user: String, host: String, port: Int = 5432, database: String, sslMode: SSLMode = .disable) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// True when `text` names PostgreSQL (as opposed to a SQLite path).
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// Parses a URL; a malformed one, a password inside it or an unknown `sslmode` is a `.config` error that never
    /// repeats the password.
    public init(parsing text: String) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw BotError(.config, "not a PostgreSQL URL (expected postgresql://USER@HOST:PORT/DATABASE)")
        }
        if components.password != nil {
            throw BotError(.config, "the PostgreSQL URL holds a password: remove it from the URL and give it with "
                + "store_password_env or store_password_file")
        }
        guard let user = components.user, !user.isEmpty else {
            throw BotError(.config, "the PostgreSQL URL names no user (expected postgresql://USER@HOST:PORT/DATABASE)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw BotError(.config, "the PostgreSQL URL names no host (expected postgresql://USER@HOST:PORT/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw BotError(.config, "the PostgreSQL URL's port \(port) is out of range") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw BotError(.config, "the PostgreSQL URL names no database (expected postgresql://USER@HOST:PORT/DATABASE)")
        }
        var sslMode = SSLMode.disable
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw BotError(.config, "the PostgreSQL URL has an unknown parameter \(item.name) (only sslmode)")
            }
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw BotError(.config, "the PostgreSQL URL's sslmode \(item.value ?? "") is not one of \(known)")
            }
            sslMode = mode
        }
        self.init(user: user, host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port,
                  database: database, sslMode: sslMode)
    }

    /// `host:port` (IPv6 hosts in brackets), as errors name the server.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// `user@host:port/database (sslmode=…)`: what logs and `status` show; never a password.
    public var description: String { "\(user)@\(endpoint)/\(database) (sslmode=\(sslMode.rawValue))" }

    /// The URL again (no password), e.g. for `store copy` output.
    public var url: String { "postgresql://\(user)@\(endpoint)/\(database)?sslmode=\(sslMode.rawValue)" }
}
