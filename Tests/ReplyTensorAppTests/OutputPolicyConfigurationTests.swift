import Foundation
import ReplyTensorApp
import ReplyTensorCore
import Testing

/// `[plugins.output]` and `[twitter] allow_links` / `allow_mentions` as the configuration reads them.
@Suite("Configuration: the output policy")
struct OutputPolicyConfigurationTests {
    static let gateway = "[responder]\norder = [\"gateway\"]\n[responder.gateway]\nbase_url = \"http://127.0.0.1:9/v1\"\n"

    @Test("on by default: the example and an empty file run it after the enabled plugins; X defuses by default")
    func defaults() throws {
        let example = try ReplyTensorConfiguration.load(from: Fixtures.exampleConfig, environment: [:])
        #expect(example.activePlugins == ["persona", "commands", "blocklist", "mention-safety", "output"])
        #expect(!example.twitter.allowLinks && !example.twitter.allowMentions)
        let empty = try Fixtures.parse(Self.gateway)
        #expect(empty.activePlugins.last == "output")
        let omitted = try Fixtures.parse(Self.gateway + "[plugins]\nenabled = [\"commands\"]")
        #expect(omitted.activePlugins == ["persona", "commands", "output"])
    }

    @Test("enabled = false in [plugins.output] switches it off; naming it in [plugins] enabled as well is an error")
    func switchedOff() throws {
        let off = try Fixtures.parse(Self.gateway + "[plugins.output]\nenabled = false")
        #expect(!off.activePlugins.contains("output"))
        let both = Fixtures.problems(Self.gateway + "[plugins]\nenabled = [\"output\"]\n[plugins.output]\nenabled = false")
        #expect(both.contains("plugins.output.enabled: false, but plugins.enabled names \"output\""))
    }

    @Test("bad [plugins.output] values are configuration errors naming the key")
    func problems() {
        let problems = Fixtures.problems(Self.gateway + """
            [plugins.output]
            deny_patterns = ["fine", "(unclosed"]
            colour = "red"
            """)
        #expect(problems.contains { $0.hasPrefix("plugins.output.deny_patterns[1]: not a valid regular expression") })
        #expect(problems.contains("plugins.output.colour: unknown key"))
        let numbers = Fixtures.problems(Self.gateway + "[plugins.output]\nmax_repeat = \"ten\"")
        #expect(numbers == ["plugins.output.max_repeat: expected an integer in 0…10000, found string \"ten\""])
        let platforms = Fixtures.problems(Self.gateway + "[plugins.output]\nallow_links_on = [\"myspace\"]")
        #expect(platforms.first?.hasPrefix("plugins.output.allow_links_on: expected platform names") == true)
    }

    @Test("[twitter] allow_links and allow_mentions are read (also under [x]); wrong types name the key")
    func twitterKeys() throws {
        let allowed = try Fixtures.parse(Self.gateway + "[x]\nallow_links = true\nallow_mentions = true")
        #expect(allowed.twitter.allowLinks && allowed.twitter.allowMentions)
        let wrong = Fixtures.problems(Self.gateway + "[twitter]\nallow_mentions = \"yes\"")
        #expect(wrong == ["twitter.allow_mentions: expected a boolean (true or false), found string \"yes\""])
    }
}
