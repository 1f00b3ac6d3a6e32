/// The output policy (`output`): every answer, from every responder, on every platform, before it is fitted and
/// posted. On by default: it runs even when `[plugins] enabled` does not name it, unless `[plugins.output]` says
/// `enabled = false`.
///
/// In order: invisible and control characters are stripped (`InvisibleCharacters`); floods are cut
/// (`RunLimiter`: `max_repeat`, `max_emoji_run`); links are defused unless the platform allows them
/// (`LinkDefuser`); `@handles` other than the author being answered are defused unless the platform allows them,
/// mass mentions always (`HandleDefuser`). What a platform allows comes from its settings (`[twitter] allow_links`,
/// `allow_mentions`, as `PlatformRules.output`) or from `allow_links_on` / `allow_mentions_on` here.
///
/// Before that, `review` checks the answer as the responder wrote it against `deny_patterns`: a match fails that
/// responder with `policy.denied` and the next responder is asked (`ResponderChain`); when none is left the mention
/// fails with `policy.denied`.
public struct OutputPolicyPlugin: Plugin {
    public static let deniedReason = "policy.denied"

    public let name = "output"
    public var denyPatterns: DenyPatterns
    public var limiter: RunLimiterSettings
    /// Platforms whose answers keep their links whatever the platform's own settings say.
    public var allowLinksOn: Set<Platform>
    /// Platforms whose answers keep other people's `@handles`.
    public var allowMentionsOn: Set<Platform>

    /// `max_repeat` and `max_emoji_run`; 0 switches a rule off.
    public struct RunLimiterSettings: Sendable, Hashable {
        public var maxRepeat: Int
        public var maxEmojiRun: Int
        public init(maxRepeat: Int = 10, maxEmojiRun: Int = 5) {
            self.maxRepeat = maxRepeat
            self.maxEmojiRun = maxEmojiRun
        }
    }

    public init(denyPatterns: DenyPatterns = .none, limiter: RunLimiterSettings = RunLimiterSettings(),
                allowLinksOn: Set<Platform> = [], allowMentionsOn: Set<Platform> = []) {
        self.denyPatterns = denyPatterns
        self.limiter = limiter
        self.allowLinksOn = allowLinksOn
        self.allowMentionsOn = allowMentionsOn
    }

    public func review(_ answer: String, for message: InboundMessage) -> AnswerVerdict {
        guard let index = denyPatterns.firstMatch(in: answer) else { return .accept }
        return .deny(reason: Self.deniedReason, detail: "matches deny_patterns[\(index)]")
    }

    public func shape(reply: String, for message: InboundMessage, context: ReplyContext) -> String {
        var allowances = context.allowances
        allowances.links = allowances.links || allowLinksOn.contains(message.platform)
        allowances.mentions = allowances.mentions || allowMentionsOn.contains(message.platform)
        return apply(reply, author: message.author, allowances: allowances)
    }

    /// The shaping of one answer to `author`, given what the platform allows.
    public func apply(_ text: String, author: Author, allowances: OutputAllowances) -> String {
        var result = InvisibleCharacters.strip(text)
        result = RunLimiter(maxRepeat: limiter.maxRepeat, maxEmojiRun: limiter.maxEmojiRun).limit(result)
        if !allowances.links { result = LinkDefuser.defuse(result) }
        return HandleDefuser.defuse(result, keepHandle: author.handle, keepID: author.id,
                                    allowOthers: allowances.mentions)
    }
}
