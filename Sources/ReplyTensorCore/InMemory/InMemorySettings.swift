import Foundation

/// An in-memory `SettingsReader` for tests and defaults: the section's values are given, problems are collected in
/// `problems`, and secrets come from `environment` through `name_env` (there is no file to read in memory, so
/// `name_file` is an unknown key here).
public final class InMemorySettings: SettingsReader {
    public let path: String
    private let values: [String: SettingValue]
    private let environment: [String: String]
    private var read: Set<String> = []
    public private(set) var problems: [String] = []

    public init(path: String = "", values: [String: SettingValue] = [:], environment: [String: String] = [:]) {
        self.path = path
        self.values = values
        self.environment = environment
    }

    public func value(_ key: String) -> SettingValue? {
        read.insert(key)
        return values[key]
    }

    public func report(_ problem: String) { problems.append(problem) }

    public func secret(_ name: String, defaultEnv: String, required: Bool, what: String) -> String? {
        let variable = string("\(name)_env", default: defaultEnv)
        let secret = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if secret.isEmpty {
            if required { report("\(keyPath("\(name)_env")): environment variable \(variable) is not set (expected \(what))") }
            return nil
        }
        return secret
    }

    /// The keys given that nobody read, sorted.
    public var unreadKeys: [String] { values.keys.filter { !read.contains($0) }.sorted() }
}
