import Foundation
import ReplyTensorCore
import ReplyTensorPostgres

extension ReplyTensorConfiguration {
    /// `[bot] store` (a path: SQLite; a `postgresql://` URL: PostgreSQL) and, for PostgreSQL, its password from
    /// `store_password_env` (default `REPLYTENSOR_STORE_PASSWORD`) or `store_password_file` (0600).
    mutating func readStore(_ section: ConfigSection, base: URL) {
        let text = section.string("store", default: "replytensor.sqlite")
        if text.isEmpty { section.problems.add("bot.store: expected a file path or a postgresql:// URL, found an empty string") }
        let store = text.isEmpty ? "replytensor.sqlite" : text
        bot.store = base.appendingPathComponent("replytensor.sqlite")
        do {
            bot.storeLocation = try StoreLocation(parsing: store, relativeTo: base)
        } catch {
            section.problems.add("bot.store: \((error as? BotError)?.message ?? "\(error)")")
            return
        }
        switch bot.storeLocation {
        case .sqlite(let url):
            bot.store = url
            section.ignore("store_password_env")
            section.ignore("store_password_file")
        case .postgres:
            // A password is needed unless the server trusts the user; one the operator named must be there.
            let named = section.has("store_password_env") || section.has("store_password_file")
            bot.storePassword = section.secret("store_password", defaultEnv: "REPLYTENSOR_STORE_PASSWORD",
                                               required: named, what: "the PostgreSQL password")
        }
    }

    /// `[replica]`: `name` (default host:pid), `lease_seconds` (default 15, at least 3).
    mutating func readReplica(_ section: ConfigSection) {
        replica.name = section.string("name", default: "")
        replica.leaseSeconds = section.double("lease_seconds", default: 15, minimum: 3)
    }
}
