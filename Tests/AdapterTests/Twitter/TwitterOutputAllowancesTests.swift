import Logging
import ReplyTensorCore
import Testing
import TwitterPlatform

/// `[twitter] allow_links` / `allow_mentions` become the X adapter's `PlatformRules.output`, which the output
/// policy reads: both off unless the operator turns them on.
@Suite("X output allowances")
struct TwitterOutputAllowancesTests {
    func rules(_ values: [String: SettingValue]) -> (OutputAllowances, [String]) {
        let settings = InMemorySettings(path: "twitter", values: values)
        let configuration = TwitterConfiguration.read(from: settings)
        var logger = Logger(label: "test.twitter")
        logger.logLevel = .critical
        let adapter = TwitterAdapter(configuration: configuration,
                                     environment: AdapterEnvironment(http: TwitterTest.http(), state: TwitterTestState(),
                                                                     logger: logger))
        return (adapter.rules.output, settings.problems)
    }

    @Test("defaults defuse links and other handles; each key turns its part on")
    func allowances() {
        let (defaults, none) = rules([:])
        #expect(defaults == OutputAllowances(links: false, mentions: false) && none.isEmpty)
        #expect(rules(["allow_links": .bool(true)]).0 == OutputAllowances(links: true, mentions: false))
        #expect(rules(["allow_mentions": .bool(true)]).0 == OutputAllowances(links: false, mentions: true))
        let (fallback, problems) = rules(["allow_links": .string("yes")])
        #expect(fallback == .none)
        #expect(problems == ["twitter.allow_links: expected a boolean (true or false), found string \"yes\""])
    }
}
