import Foundation
import ReplyTensorCore

/// Reads one TOML table, tracking the keys it used so unknown keys can be reported with their full path. The typed
/// readers (`string`, `int`, …) come from `SettingsReader`; secrets from the file's `SecretSource`.
public final class ConfigSection: SettingsReader {
    public let path: String
    private let values: [String: ConfigValue]
    private var used: Set<String> = []
    private var children: [ConfigSection] = []
    let problems: ConfigProblems
    private let secrets: SecretSource
    /// Keys accepted without being read (e.g. owned by a plugin that is validated elsewhere).
    private var ignored: Set<String> = []

    init(path: String, values: [String: ConfigValue], problems: ConfigProblems, secrets: SecretSource) {
        self.path = path
        self.values = values
        self.problems = problems
        self.secrets = secrets
    }

    var keys: [String] { values.keys.sorted() }
    func has(_ key: String) -> Bool { values[key] != nil }

    /// The raw value, marking it used.
    public func value(_ key: String) -> SettingValue? {
        used.insert(key)
        return values[key]
    }

    public func report(_ problem: String) { problems.add(problem) }

    public func secret(_ name: String, defaultEnv: String, required: Bool, what: String) -> String? {
        secrets.read(name, in: self, defaultEnv: defaultEnv, required: required, what: what)
    }

    /// A nested table; an absent one reads as empty.
    func section(_ key: String) -> ConfigSection {
        let table: [String: ConfigValue]
        switch value(key) {
        case .table(let values)?:
            table = values
        case let value?:
            report("\(keyPath(key)): expected a table ([\(keyPath(key))]), found \(value.kind)")
            table = [:]
        case nil:
            table = [:]
        }
        let child = ConfigSection(path: keyPath(key), values: table, problems: problems, secrets: secrets)
        children.append(child)
        return child
    }

    /// The section of a platform, under its usual name or an alias (`[x]` for `[twitter]`), read by the adapter's
    /// settings type. Writing the section under two names is a problem; the usual name wins.
    func platform<Settings: PlatformSettings>(_ settings: Settings.Type) -> Settings {
        let present = Settings.sectionNames.filter(has)
        for alias in present.dropFirst() {
            report("\(keyPath(alias)): [\(alias)] is another name for [\(present[0])]; write only one of them")
            ignore(alias)
        }
        return Settings.read(from: section(present.first ?? Settings.sectionNames[0]))
    }

    func ignore(_ key: String) { ignored.insert(key) }

    /// Reports keys nobody read, here and in every section read from here.
    func reportUnknownKeys(secretHint: Bool = true) {
        for key in values.keys.sorted() where !used.contains(key) && !ignored.contains(key) {
            let secretish = ["token", "key", "secret", "password", "api_key"].contains { key.hasSuffix($0) }
            if secretish && secretHint {
                problems.add("\(keyPath(key)): unknown key; secrets are never written inline — use \(key)_env (an environment variable name) or \(key)_file")
            } else {
                problems.add("\(keyPath(key)): unknown key")
            }
        }
        for child in children { child.reportUnknownKeys(secretHint: secretHint) }
    }
}
