/// The settings of one platform adapter, read from its configuration section by the adapter's own type: each key,
/// its default, its validation and its documentation live there, once. The composition root only routes the
/// section (`[telegram]`) to `read(from:)`, so adding a setting is one edit in the adapter's settings type (and its
/// line in `config/replytensor.example.toml`).
public protocol PlatformSettings: Sendable {
    /// The platform these settings are for.
    static var platform: Platform { get }
    /// The names the section may be written under, the usual one first (`["twitter", "x"]`). Writing two of them
    /// is a configuration error.
    static var sectionNames: [String] { get }
    /// `enabled`: whether the bot runs this platform.
    var enabled: Bool { get }
    /// Every secret these settings hold, so logs and errors can redact them.
    var secrets: [String] { get }
    /// Reads every key of the section with its default and validation; problems go to `settings`. Secrets are
    /// required only when the platform is enabled.
    static func read(from settings: some SettingsReader) -> Self
}

extension PlatformSettings {
    public static var sectionNames: [String] { [platform.rawValue] }

    /// The settings of an absent section: every default, not enabled.
    public static var defaults: Self { read(from: InMemorySettings(path: sectionNames[0])) }
}
