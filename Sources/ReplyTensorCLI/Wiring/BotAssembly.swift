import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorStore

/// Everything `run` needs, built from the configuration. The only place that knows every concrete type.
struct BotAssembly {
    let configuration: ReplyTensorConfiguration
    let store: SQLiteStore
    let engine: Engine

    static func make(_ configuration: ReplyTensorConfiguration, http: any HTTPClient, logger: Logger,
                     observer: @escaping EngineObserver = { _ in }) throws -> BotAssembly {
        let store = try SQLiteStore(path: configuration.bot.store.path)
        let environment = AdapterEnvironment(http: http, state: store, logger: logger)
        let adapters = try configuration.enabledPlatforms.map {
            try PlatformFactory.make($0, configuration: configuration, environment: environment)
        }
        let responder = try ResponderFactory.make(configuration, http: http, store: store, logger: logger)
        let plugins = try PluginRegistry.builtIn.make(configuration.enabledPlugins) { name in
            PluginSetup(botName: configuration.bot.name, persona: configuration.bot.persona,
                        options: configuration.pluginOptions[name] ?? [:])
        }
        let engine = Engine(configuration: configuration.engineConfiguration, store: store, adapters: adapters,
                            responder: responder, plugins: plugins, logger: logger, observer: observer)
        return BotAssembly(configuration: configuration, store: store, engine: engine)
    }
}
