/// What answers on a platform may carry untouched, as the platform's settings say (`[twitter] allow_links`,
/// `[twitter] allow_mentions`). The output policy defuses everything not allowed; mass mentions (`@everyone`,
/// `@here`) are defused whatever is allowed.
public struct OutputAllowances: Sendable, Hashable {
    /// Links stay clickable (otherwise `example[.]com`, `hxxps://`).
    public var links: Bool
    /// `@handles` other than the author being answered stay (otherwise `@\u{2060}handle`, which notifies nobody).
    public var mentions: Bool

    public init(links: Bool = false, mentions: Bool = false) {
        self.links = links
        self.mentions = mentions
    }

    /// Nothing allowed: the default of every platform.
    public static let none = OutputAllowances()
}
