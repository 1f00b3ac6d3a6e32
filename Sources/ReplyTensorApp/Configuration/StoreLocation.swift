import Foundation
import ReplyTensorPostgres

/// Where a store lives: a SQLite file, or a PostgreSQL database several replicas share (`[bot] store`, and each side
/// of `store copy`).
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

extension ReplyTensorConfiguration {
    /// `[bot] store` as one value: the SQLite file, or the PostgreSQL database.
    public var storeLocation: StoreLocation { bot.postgres.map(StoreLocation.postgres) ?? .sqlite(bot.store) }
}
