/// Plugins by name, as `[plugins] enabled` names them. Third-party plugins register the same way.
public struct PluginRegistry: Sendable {
    public typealias Factory = @Sendable (PluginSetup) throws -> any Plugin
    public private(set) var factories: [String: Factory] = [:]
    /// The option keys each plugin accepts in its section (unknown keys are configuration errors).
    public private(set) var optionKeys: [String: Set<String>] = [:]
    /// The plugins that run without being named in `[plugins] enabled`, in the order they were registered.
    public private(set) var enabledByDefault: [String] = []

    public init() {}

    /// Registers a plugin. A plugin `enabledByDefault` runs unless its section says `enabled = false` (a key every
    /// such plugin accepts).
    public mutating func register(_ name: String, options: Set<String> = [], enabledByDefault: Bool = false,
                                  factory: @escaping Factory) {
        factories[name] = factory
        optionKeys[name] = enabledByDefault ? options.union(["enabled"]) : options
        if enabledByDefault, !self.enabledByDefault.contains(name) { self.enabledByDefault.append(name) }
    }

    /// The built-ins: `commands`, `blocklist`, `mention-safety`, `persona`, and `output` (on by default).
    public static var builtIn: PluginRegistry {
        var registry = PluginRegistry()
        registry.register("commands", options: ["about"]) { CommandsPlugin(botName: $0.botName, about: $0.string("about")) }
        registry.register("blocklist", options: ["users", "chats"]) {
            BlocklistPlugin(users: $0.strings("users"), chats: $0.strings("chats"))
        }
        registry.register("mention-safety") { _ in MentionSafetyPlugin() }
        registry.register("persona") { PersonaPlugin(persona: $0.persona) }
        registry.register("output", options: OutputPolicyPlugin.optionKeys, enabledByDefault: true) {
            try OutputPolicyPlugin(setup: $0)
        }
        return registry
    }

    /// The plugins that run, in order: `persona` first, then `names`, then each plugin on by default that `names`
    /// leaves out. A plugin on by default whose section says `enabled = false` does not run, named or not.
    public func resolve(_ names: [String], setup: (String) -> PluginSetup) -> [String] {
        var resolved: [String] = []
        for name in ["persona"] + names + enabledByDefault where !resolved.contains(name) {
            if enabledByDefault.contains(name), setup(name).options["enabled"] == .bool(false) { continue }
            resolved.append(name)
        }
        return resolved
    }

    /// Builds the plugins that run (see `resolve`), in order.
    public func make(_ names: [String], setup: (String) -> PluginSetup) throws -> [any Plugin] {
        try resolve(names, setup: setup).map { name in
            guard let factory = factories[name] else {
                throw BotError(.config, "unknown plugin \"\(name)\"; known: \(factories.keys.sorted().joined(separator: ", "))")
            }
            var named = setup(name)
            named.plugin = name
            return try factory(named)
        }
    }
}
