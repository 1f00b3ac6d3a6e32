import Foundation
import Logging
@testable import ReplyTensorPostgres
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// `replytensor run` on a PostgreSQL store that cannot be used: the exit statuses CONTRACT.md gives.
@Suite("run on PostgreSQL: unreachable or newer schema (real binary)")
struct PostgresStartEndToEndTests {
    /// A Telegram bot on the store `url` (the gateway answers).
    static func configure(_ folder: URL, store url: String, gateway: GatewayEmulator,
                          telegram: TelegramEmulator) throws {
        try E2EConfig.write(E2EConfig.common(gateway: gateway, botExtra: #"store_password_env = "E2E_STORE_PASSWORD""#,
                                             store: url), """
            [telegram]
            enabled = true
            token_env = "E2E_TELEGRAM_TOKEN"
            api_base = "\(telegram.apiBase)"
            """, to: folder)
    }

    @Test("an unreachable database at start: exit 1 naming host:port and the cause")
    func unreachable() async throws {
        let folder = try BotProcess.makeFolder()
        let gateway = try await GatewayEmulator.start()
        let telegram = try await TelegramEmulator.start()
        defer { Task { await gateway.stop(); await telegram.stop() } }
        let port = try LoopbackPort.free()  // nothing listens there
        try Self.configure(folder, store: "postgresql://replytensor@127.0.0.1:\(port)/replytensor?sslmode=disable",
                           gateway: gateway, telegram: telegram)
        let result = try await BotProcess.run(["run"], folder: folder, environment: [
            "E2E_TELEGRAM_TOKEN": telegram.token, "E2E_GATEWAY_KEY": gateway.apiKey, "E2E_STORE_PASSWORD": "secret-pw"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("127.0.0.1:\(port)"), "\(result.output)")
        #expect(!result.output.contains("secret-pw"), "the password never reaches the output")
    }

    @Test("a schema newer than the binary: exit 78 saying so")
    func newerSchema() async throws {
        let folder = try BotProcess.makeFolder()
        let gateway = try await GatewayEmulator.start()
        let telegram = try await TelegramEmulator.start()
        defer { Task { await gateway.stop(); await telegram.stop() } }
        let cluster = try PostgresCluster.shared()
        let url = cluster.url(database: try cluster.newDatabase())
        let store = try await PostgresStore.open(location: try PostgresLocation(parsing: url), password: cluster.password,
                                                 logger: Logger(label: "test"))
        try await store.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (\(PostgresMigrator.latest + 1), 0)")
        await store.close()
        try Self.configure(folder, store: url, gateway: gateway, telegram: telegram)
        let result = try await BotProcess.run(["run"], folder: folder, environment: [
            "E2E_TELEGRAM_TOKEN": telegram.token, "E2E_GATEWAY_KEY": gateway.apiKey, "E2E_STORE_PASSWORD": cluster.password])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("newer"), "\(result.output)")
    }
}
