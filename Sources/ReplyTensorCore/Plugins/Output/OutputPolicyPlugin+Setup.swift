extension OutputPolicyPlugin {
    /// The keys of `[plugins.output]` (besides `enabled`).
    public static let optionKeys: Set<String> = [
        "deny_patterns", "max_repeat", "max_emoji_run", "allow_links_on", "allow_mentions_on",
    ]

    /// The platform names `allow_links_on` and `allow_mentions_on` take (`x` is another name for `twitter`).
    static let platformNames: [String: Platform] = [
        "telegram": .telegram, "discord": .discord, "twitter": .twitter, "x": .twitter,
    ]

    /// Reads `[plugins.output]`; a wrong type, a bad number, an unknown platform or a pattern that does not compile
    /// is a configuration error naming the key.
    public init(setup: PluginSetup) throws {
        let limiter = RunLimiterSettings(maxRepeat: try setup.int("max_repeat", default: 10, range: 0...10_000),
                                         maxEmojiRun: try setup.int("max_emoji_run", default: 5, range: 0...10_000))
        self.init(denyPatterns: try DenyPatterns(try setup.list("deny_patterns")), limiter: limiter,
                  allowLinksOn: try Self.platforms(setup, "allow_links_on"),
                  allowMentionsOn: try Self.platforms(setup, "allow_mentions_on"))
    }

    private static func platforms(_ setup: PluginSetup, _ key: String) throws -> Set<Platform> {
        var platforms: Set<Platform> = []
        for name in try setup.list(key) {
            guard let platform = platformNames[name.lowercased()] else {
                throw setup.problem(key, "expected platform names (telegram, discord, twitter), found \"\(name)\"")
            }
            platforms.insert(platform)
        }
        return platforms
    }
}
