import Foundation

/// Reads one TOML table, tracking the keys it used so unknown keys can be reported with their full path.
public final class ConfigSection {
    let path: String
    private let values: [String: ConfigValue]
    private var used: Set<String> = []
    private var children: [ConfigSection] = []
    let problems: ConfigProblems
    /// Keys accepted without being read (e.g. owned by a plugin that is validated elsewhere).
    private var ignored: Set<String> = []

    init(path: String, values: [String: ConfigValue], problems: ConfigProblems) {
        self.path = path
        self.values = values
        self.problems = problems
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    var keys: [String] { values.keys.sorted() }
    func has(_ key: String) -> Bool { values[key] != nil }

    private func take(_ key: String) -> ConfigValue? {
        used.insert(key)
        return values[key]
    }

    private func wrongType(_ key: String, expected: String, found: ConfigValue) {
        problems.add("\(keyPath(key)): expected \(expected), found \(found.kind)")
    }

    func string(_ key: String, default fallback: String, allowed: [String]? = nil) -> String {
        guard let value = take(key) else { return fallback }
        guard case .string(let text) = value else {
            wrongType(key, expected: "a string", found: value)
            return fallback
        }
        if let allowed, !allowed.contains(text) {
            problems.add("\(keyPath(key)): expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"")
            return fallback
        }
        return text
    }

    func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) -> Int {
        guard let value = take(key) else { return fallback }
        guard case .int(let number) = value else {
            wrongType(key, expected: "an integer", found: value)
            return fallback
        }
        if let range, !range.contains(number) {
            problems.add("\(keyPath(key)): expected an integer in \(range.lowerBound)…\(range.upperBound), found \(number)")
            return fallback
        }
        return number
    }

    func double(_ key: String, default fallback: Double, minimum: Double = 0) -> Double {
        guard let value = take(key) else { return fallback }
        let number: Double
        switch value {
        case .double(let value): number = value
        case .int(let value): number = Double(value)
        default:
            wrongType(key, expected: "a number", found: value)
            return fallback
        }
        if number < minimum {
            problems.add("\(keyPath(key)): expected a number ≥ \(minimum), found \(number)")
            return fallback
        }
        return number
    }

    func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let value = take(key) else { return fallback }
        guard case .bool(let flag) = value else {
            wrongType(key, expected: "a boolean (true or false)", found: value)
            return fallback
        }
        return flag
    }

    func strings(_ key: String, default fallback: [String] = []) -> [String] {
        guard let value = take(key) else { return fallback }
        guard case .array(let items) = value else {
            wrongType(key, expected: "an array of strings", found: value)
            return fallback
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let text): result.append(text)
            case .int(let number): result.append(String(number))  // ids written as numbers
            default: problems.add("\(keyPath(key))[\(index)]: expected a string, found \(item.kind)")
            }
        }
        return result
    }

    /// A nested table; an absent one reads as empty.
    func section(_ key: String) -> ConfigSection {
        let child: ConfigSection
        switch take(key) {
        case .table(let table)?:
            child = ConfigSection(path: keyPath(key), values: table, problems: problems)
        case let value?:
            wrongType(key, expected: "a table ([\(keyPath(key))])", found: value)
            child = ConfigSection(path: keyPath(key), values: [:], problems: problems)
        case nil:
            child = ConfigSection(path: keyPath(key), values: [:], problems: problems)
        }
        children.append(child)
        return child
    }

    /// The raw value, marking it used.
    func raw(_ key: String) -> ConfigValue? { take(key) }

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
