/// Values a plugin's configuration section may hold.
public enum PluginOption: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case strings([String])

    /// What the value is, as problems name it.
    public var kind: String {
        switch self {
        case .string(let value): return "string \"\(value.prefix(40))\""
        case .int(let value): return "integer \(value)"
        case .bool(let value): return "boolean \(value)"
        case .strings: return "array"
        }
    }
}

/// What a plugin factory gets: the bot's name, persona and the plugin's own `[plugins.<name>]` section.
public struct PluginSetup: Sendable {
    public var botName: String
    public var persona: String
    public var options: [String: PluginOption]
    /// The plugin's name, set by the registry (problems name `plugins.<plugin>.<key>`).
    public var plugin: String

    public init(botName: String, persona: String, options: [String: PluginOption] = [:], plugin: String = "") {
        self.botName = botName
        self.persona = persona
        self.options = options
        self.plugin = plugin
    }

    public func strings(_ key: String) -> [String] {
        if case .strings(let values) = options[key] { return values }
        return []
    }

    public func string(_ key: String) -> String? {
        if case .string(let value) = options[key] { return value }
        return nil
    }

    /// `key` as a list of strings (empty when absent); any other value is a configuration error.
    public func list(_ key: String) throws -> [String] {
        switch options[key] {
        case nil: return []
        case .strings(let values)?: return values
        case let other?: throw problem(key, expected: "an array of strings", found: other)
        }
    }

    /// `key` as an integer in `range` (`fallback` when absent); anything else is a configuration error.
    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        switch options[key] {
        case nil: return fallback
        case .int(let value)? where range.contains(value): return value
        case let other?:
            throw problem(key, expected: "an integer in \(range.lowerBound)…\(range.upperBound)", found: other)
        }
    }

    /// `key` as a boolean (`fallback` when absent); anything else is a configuration error.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        switch options[key] {
        case nil: return fallback
        case .bool(let value)?: return value
        case let other?: throw problem(key, expected: "a boolean (true or false)", found: other)
        }
    }

    /// A configuration error about `key`, naming its path.
    public func problem(_ key: String, _ text: String) -> BotError {
        BotError(.config, "plugins.\(plugin).\(key): \(text)")
    }

    private func problem(_ key: String, expected: String, found: PluginOption) -> BotError {
        problem(key, "expected \(expected), found \(found.kind)")
    }
}
