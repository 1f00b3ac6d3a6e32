import Foundation
import Logging
import ReplyTensorApp
import ReplyTensorCore
import Testing

@Suite("responder.subnet.platforms")
struct SubnetPlatformsTests {
    @Test("responder.subnet.platforms: known names (x = twitter), unknown ones refused, empty = every platform")
    func subnetPlatforms() throws {
        let base = "[responder]\norder = [\"subnet\", \"gateway\"]\n[responder.gateway]\nbase_url = \"https://g.example/v1\"\n"
        let listed = try Fixtures.parse(base + "[responder.subnet]\nplatforms = [\"x\", \"Discord\", \"twitter\"]")
        #expect(listed.responder.subnet.platforms == [.twitter, .discord])
        #expect(try Fixtures.parse(base).responder.subnet.platforms.isEmpty)
        let problems = Fixtures.problems(base + "[responder.subnet]\nplatforms = [\"telegram\", \"mastodon\"]")
        #expect(problems == ["responder.subnet.platforms: unknown platform \"mastodon\" (expected telegram, discord or twitter)"])
    }

    @Test("the wired subnet responder is skipped for platforms outside responder.subnet.platforms")
    func wiredSubnetIsScoped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-platforms-\(UUID().uuidString)")
        let hotkeys = folder.appendingPathComponent("wallets/bot/hotkeys")
        try FileManager.default.createDirectory(at: hotkeys, withIntermediateDirectories: true)
        let keyfile = hotkeys.appendingPathComponent("hk").path
        try #"{"secretSeed":"0x\#(String(repeating: "42", count: 32))"}"#.write(toFile: keyfile, atomically: false, encoding: .utf8)
        #expect(chmod(keyfile, 0o600) == 0)
        let configuration = try ReplyTensorConfiguration.parse("""
            [responder]
            order = ["subnet", "gateway"]
            [responder.subnet]
            network = "http://127.0.0.1:9"
            wallet_path = "wallets"
            wallet = "bot"
            hotkey = "hk"
            platforms = ["twitter"]
            [responder.gateway]
            base_url = "https://g.example/v1"
            """, source: folder.appendingPathComponent("replytensor.toml"), environment: [:])
        let chain = try #require(try ResponderFactory.make(configuration, http: HTTPClientFactory.make(configuration),
                                                           store: InMemoryStore(), logger: Logger(label: "test"))
            as? ResponderChain)
        let subnet = try #require(chain.responders.first)
        #expect(subnet.name == "subnet")
        func prompt(_ platform: Platform) -> Prompt { Prompt(persona: "", turns: [], platform: platform) }
        #expect(subnet.accepts(prompt(.twitter)))
        #expect(!subnet.accepts(prompt(.telegram)) && !subnet.accepts(prompt(.discord)))
        #expect(chain.responders.last?.accepts(prompt(.telegram)) == true)
    }
}
