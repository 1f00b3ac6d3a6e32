import Foundation
import ReplyTensorPostgres

/// Where the bot's store lives (`[bot] store`): a SQLite file, or a PostgreSQL database several replicas share.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(URL)
    case postgres(PostgresLocation)

    /// A `postgresql://` or `postgres://` URL selects PostgreSQL; anything else is a SQLite path, relative to `base`.
    public init(parsing text: String, relativeTo base: URL) throws {
        if PostgresLocation.isURL(text) {
            self = .postgres(try PostgresLocation(parsing: text))
        } else {
            self = .sqlite(ConfigPaths.resolve(text, relativeTo: base))
        }
    }

    /// True for a store several processes share.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The path, or the URL without a password.
    public var description: String {
        switch self {
        case .sqlite(let url): return url.path
        case .postgres(let location): return location.description
        }
    }
}

/// `[replica]`: who this process is among replicas sharing a PostgreSQL store.
public struct ReplicaSettings: Sendable, Hashable {
    /// `name`; empty means host:pid of the running process (`identity`).
    public var name = ""
    /// `lease_seconds`: how long a lease or a claim lasts without renewal (at least 3).
    public var leaseSeconds = 15.0

    public init(name: String = "", leaseSeconds: Double = 15) {
        self.name = name
        self.leaseSeconds = leaseSeconds
    }

    /// This process under `name` (host:pid when empty).
    public var identity: ReplicaIdentity { .current(name: name) }
}
