/// One section of the configuration (`[telegram]`, `[responder.gateway]`) as the type that owns it reads it. The
/// reader tracks which keys were read, so the composition root can report unknown ones; the typed readers below
/// check types, ranges and allowed values, report what is wrong with the key path, and fall back to the default.
///
/// `ConfigSection` (the App's TOML table) and `InMemorySettings` (in memory, for tests) implement it.
public protocol SettingsReader {
    /// The section's path as written (`telegram`, `responder.gateway`); empty for the top level.
    var path: String { get }
    /// The value of `key`, marking the key as read; nil when absent.
    func value(_ key: String) -> SettingValue?
    /// Records a problem. It starts with the key path it is about (see `keyPath(_:)`).
    func report(_ problem: String)
    /// The secret `name`, from the environment variable named by `name_env` (`defaultEnv` when that key is absent)
    /// or from the file named by `name_file`. When `required` and missing, reports a problem naming the key and
    /// what was expected (`what`, e.g. "the Discord bot token") and returns nil.
    func secret(_ name: String, defaultEnv: String, required: Bool, what: String) -> String?
}

extension SettingsReader {
    /// `key` with the section's path in front: `telegram.api_base`.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func string(_ key: String, default fallback: String, allowed: [String]? = nil) -> String {
        guard let value = value(key) else { return fallback }
        guard case .string(let text) = value else {
            wrongType(key, expected: "a string", found: value)
            return fallback
        }
        if let allowed, !allowed.contains(text) {
            report("\(keyPath(key)): expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"")
            return fallback
        }
        return text
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) -> Int {
        guard let value = value(key) else { return fallback }
        guard case .int(let number) = value else {
            wrongType(key, expected: "an integer", found: value)
            return fallback
        }
        if let range, !range.contains(number) {
            report("\(keyPath(key)): expected an integer in \(range.lowerBound)…\(range.upperBound), found \(number)")
            return fallback
        }
        return number
    }

    /// A number (an integer is accepted) of at least `minimum`.
    public func double(_ key: String, default fallback: Double, minimum: Double = 0) -> Double {
        guard let value = value(key) else { return fallback }
        let number: Double
        switch value {
        case .double(let value): number = value
        case .int(let value): number = Double(value)
        default:
            wrongType(key, expected: "a number", found: value)
            return fallback
        }
        if number < minimum {
            report("\(keyPath(key)): expected a number ≥ \(minimum), found \(number)")
            return fallback
        }
        return number
    }

    public func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let value = value(key) else { return fallback }
        guard case .bool(let flag) = value else {
            wrongType(key, expected: "a boolean (true or false)", found: value)
            return fallback
        }
        return flag
    }

    /// A list of strings; integers are accepted as their decimal text (ids written as numbers).
    public func strings(_ key: String, default fallback: [String] = []) -> [String] {
        guard let value = value(key) else { return fallback }
        guard case .array(let items) = value else {
            wrongType(key, expected: "an array of strings", found: value)
            return fallback
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let text): result.append(text)
            case .int(let number): result.append(String(number))
            default: report("\(keyPath(key))[\(index)]: expected a string, found \(item.kind)")
            }
        }
        return result
    }

    /// Reports `value`, read from `key`, unless it is an http(s) URL.
    public func checkHTTPURL(_ value: String, key: String) {
        if !(value.hasPrefix("http://") || value.hasPrefix("https://")) {
            report("\(keyPath(key)): expected an http(s) URL, found \"\(value)\"")
        }
    }

    private func wrongType(_ key: String, expected: String, found: SettingValue) {
        report("\(keyPath(key)): expected \(expected), found \(found.kind)")
    }
}

/// One value of a settings section, detached from the file format it was written in.
public indirect enum SettingValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([SettingValue])
    case table([String: SettingValue])
    /// A value of a type settings do not use (a date, say), named by its type.
    case other(String)

    /// What the value is, as problems name it: `string "eight"`, `integer 3`.
    public var kind: String {
        switch self {
        case .string(let value): return "string \"\(value.prefix(40))\""
        case .int(let value): return "integer \(value)"
        case .double(let value): return "number \(value)"
        case .bool(let value): return "boolean \(value)"
        case .array: return "array"
        case .table: return "table"
        case .other(let type): return type
        }
    }
}

extension String {
    /// The text without trailing `/`: how a configured base URL (`api_base`) is kept, so paths join with one slash.
    public var withoutTrailingSlashes: String {
        var base = self
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
