import Foundation
import ReplyTensorApp
import ReplyTensorCore
import Testing

@Suite("Configuration warnings")
struct ConfigurationWarningsTests {
    @Test("check warns about private axons, a non-loopback metrics listener, http:// off this host, uncovered platforms")
    func warnings() throws {
        let risky = try Fixtures.parse("""
            [responder]
            order = ["subnet"]
            [responder.subnet]
            allow_private_axons = true
            platforms = ["twitter"]
            [telegram]
            enabled = true
            api_base = "http://user:secret@telegram-proxy.example:8081/"
            [metrics]
            listen = "0.0.0.0:9464"
            """, environment: ["TELEGRAM_BOT_TOKEN": "123:abc"])
        let warnings = ConfigurationWarnings.list(risky)
        #expect(warnings.contains { $0.hasPrefix("responder.subnet.allow_private_axons = true") })
        #expect(warnings.contains { $0.hasPrefix("metrics.listen = \"0.0.0.0:9464\" is reachable from other hosts") })
        #expect(warnings.contains { $0.hasPrefix("telegram.api_base is plain http:// to http://telegram-proxy.example:8081,") })
        #expect(warnings.contains { $0.hasPrefix("telegram is enabled but no responder answers it") })
        #expect(!warnings.joined().contains("secret"), "credentials in a URL are not repeated")
        #expect(warnings.count == 4)

        let safe = try Fixtures.parse("""
            [responder]
            order = ["subnet", "gateway"]
            [responder.subnet]
            platforms = ["twitter"]
            [responder.gateway]
            base_url = "http://127.0.0.1:8080/v1"
            [telegram]
            enabled = true
            api_base = "http://[::1]:8081"
            [discord]
            enabled = true
            api_base = "http://localhost:9000/api/v10"
            [metrics]
            listen = "127.0.0.1:9464"
            """, environment: ["TELEGRAM_BOT_TOKEN": "123:abc", "DISCORD_BOT_TOKEN": "discord-token"])
        #expect(ConfigurationWarnings.list(safe).isEmpty, "\(ConfigurationWarnings.list(safe))")
    }
}
