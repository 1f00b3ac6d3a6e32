import Foundation
import ReplyTensorApp
import ReplyTensorCore
import ReplyTensorPostgres
import Testing

@Suite("Configuration: the store and [replica]")
struct StoreConfigurationTests {
    static let gateway = "responder.order = [\"gateway\"]\nresponder.gateway.base_url = \"http://127.0.0.1:1/v1\"\n"

    @Test("a path selects SQLite (relative to the file); a postgresql:// or postgres:// URL selects PostgreSQL")
    func selection() throws {
        let sqlite = try Fixtures.parse(Self.gateway + "bot.store = \"data/bot.sqlite\"")
        #expect(sqlite.storeLocation == .sqlite(URL(fileURLWithPath: "/srv/bot/data/bot.sqlite")))
        #expect(sqlite.bot.store.path == "/srv/bot/data/bot.sqlite")
        #expect(try Fixtures.parse(Self.gateway).storeLocation
                == .sqlite(URL(fileURLWithPath: "/srv/bot/replytensor.sqlite")))
        for scheme in ["postgresql", "postgres"] {
            let shared = try Fixtures.parse(Self.gateway + "bot.store = \"\(scheme)://bot@127.0.0.1:5433/replies?sslmode=require\"",
                                            environment: ["REPLYTENSOR_STORE_PASSWORD": "pg-secret-1"])
            #expect(shared.storeLocation == .postgres(PostgresLocation(user: "bot", host: "127.0.0.1", port: 5433,
                                                                       database: "replies", sslMode: .require)))
            #expect(shared.storeLocation.isShared)
            #expect(shared.bot.storePassword == "pg-secret-1")
            #expect(shared.secrets.contains("pg-secret-1"))
            #expect(!shared.storeLocation.description.contains("pg-secret-1"))
            #expect(!shared.storeDescription.contains("pg-secret-1"))
        }
    }

    @Test("store_password_env and store_password_file: a named source must exist; a 0644 file is refused")
    func passwords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = "bot.store = \"postgresql://bot@127.0.0.1/replies\"\n"
        let named = Fixtures.problems(Self.gateway + url + "bot.store_password_env = \"PG_PASS\"")
        #expect(named.contains { $0.hasPrefix("bot.store_password_env:") && $0.contains("PG_PASS") })
        #expect(try Fixtures.parse(Self.gateway + url + "bot.store_password_env = \"PG_PASS\"",
                                   environment: ["PG_PASS": "from-env"]).bot.storePassword == "from-env")
        let file = folder.appendingPathComponent("pg.pass")
        try "from-file\n".write(to: file, atomically: false, encoding: .utf8)
        #expect(chmod(file.path, 0o644) == 0)
        let text = Self.gateway + url + "bot.store_password_file = \"\(file.path)\""
        let open = Fixtures.problems(text)
        #expect(open.contains { $0.hasPrefix("bot.store_password_file:") && $0.contains("chmod 600") })
        #expect(chmod(file.path, 0o600) == 0)
        #expect(try Fixtures.parse(text).bot.storePassword == "from-file")
        // Without a named source and without the default variable: no password (a server that trusts the user).
        #expect(try Fixtures.parse(Self.gateway + url).bot.storePassword == nil)
    }

    @Test("a URL holding a password, or with an unknown sslmode, is refused naming bot.store and never the password")
    func badURLs() {
        let withPassword = Fixtures.problems(Self.gateway + "bot.store = \"postgresql://bot:hunter22@127.0.0.1/r\"")
        #expect(withPassword.count == 1)
        #expect(withPassword.allSatisfy { $0.hasPrefix("bot.store:") && !$0.contains("hunter22") })
        #expect(withPassword.first?.contains("store_password_env") == true)
        let mode = Fixtures.problems(Self.gateway + "bot.store = \"postgresql://bot@127.0.0.1/r?sslmode=allow\"")
        #expect(mode.count == 1 && mode[0].hasPrefix("bot.store:") && mode[0].contains("sslmode"))
    }

    @Test("[replica]: name defaults to host:pid, lease_seconds to 15; under 3 is refused")
    func replica() throws {
        let defaults = try Fixtures.parse(Self.gateway)
        #expect(defaults.replica.name == "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)")
        #expect(defaults.replica.leaseSeconds == 15)
        let named = try Fixtures.parse(Self.gateway + "[replica]\nname = \"eu-1\"\nlease_seconds = 30")
        #expect(named.replica.name == "eu-1")
        #expect(named.replica.leaseSeconds == 30)
        let short = Fixtures.problems(Self.gateway + "[replica]\nlease_seconds = 2")
        #expect(short.count == 1 && short[0].hasPrefix("replica.lease_seconds:"))
        #expect(Fixtures.problems(Self.gateway + "[replica]\nnmae = \"x\"") == ["replica.nmae: unknown key"])
    }
}
