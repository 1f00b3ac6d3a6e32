/// Values a plugin's configuration section may hold.
public enum PluginOption: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case strings([String])
}

/// What a plugin factory gets: the bot's name, persona and the plugin's own `[plugins.<name>]` section.
public struct PluginSetup: Sendable {
    public var botName: String
    public var persona: String
    public var options: [String: PluginOption]

    public init(botName: String, persona: String, options: [String: PluginOption] = [:]) {
        self.botName = botName
        self.persona = persona
        self.options = options
    }

    public func strings(_ key: String) -> [String] {
        if case .strings(let values) = options[key] { return values }
        return []
    }

    public func string(_ key: String) -> String? {
        if case .string(let value) = options[key] { return value }
        return nil
    }
}

/// Plugins by name, as `[plugins] enabled` names them. Third-party plugins register the same way.
public struct PluginRegistry: Sendable {
    public typealias Factory = @Sendable (PluginSetup) throws -> any Plugin
    public private(set) var factories: [String: Factory] = [:]
    /// The option keys each plugin accepts in its section (unknown keys are configuration errors).
    public private(set) var optionKeys: [String: Set<String>] = [:]

    public init() {}

    public mutating func register(_ name: String, options: Set<String> = [], factory: @escaping Factory) {
        factories[name] = factory
        optionKeys[name] = options
    }

    /// The built-ins: `commands`, `blocklist`, `mention-safety`, `persona`.
    public static var builtIn: PluginRegistry {
        var registry = PluginRegistry()
        registry.register("commands", options: ["about"]) { CommandsPlugin(botName: $0.botName, about: $0.string("about")) }
        registry.register("blocklist", options: ["users", "chats"]) {
            BlocklistPlugin(users: $0.strings("users"), chats: $0.strings("chats"))
        }
        registry.register("mention-safety") { _ in MentionSafetyPlugin() }
        registry.register("persona") { PersonaPlugin(persona: $0.persona) }
        return registry
    }

    /// Builds the named plugins in order. The persona plugin is always included (first).
    public func make(_ names: [String], setup: (String) -> PluginSetup) throws -> [any Plugin] {
        var plugins: [any Plugin] = []
        var seen: Set<String> = []
        for name in ["persona"] + names where !seen.contains(name) {
            seen.insert(name)
            guard let factory = factories[name] else {
                throw BotError(.config, "unknown plugin \"\(name)\"; known: \(factories.keys.sorted().joined(separator: ", "))")
            }
            plugins.append(try factory(setup(name)))
        }
        return plugins
    }
}
