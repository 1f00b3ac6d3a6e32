import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorStore

/// Everything `run` needs, built from the configuration. The only place that knows every concrete type.
public struct BotAssembly: Sendable {
    let configuration: ReplyTensorConfiguration
    public let opened: OpenedStore
    public var store: any BotStore { opened.store }
    public let engine: Engine

    /// With `metrics`, every HTTP request is counted (by platform, or "responder") and every engine event recorded.
    public static func make(_ configuration: ReplyTensorConfiguration, http: any HTTPClient, logger: Logger,
                            metrics: BotMetrics? = nil, observer: @escaping EngineObserver = { _ in }) async throws
        -> BotAssembly {
        func client(_ owner: String) -> any HTTPClient {
            metrics.map { InstrumentedHTTPClient(base: http, owner: owner, metrics: $0) } ?? http
        }
        let opened = try await StoreOpener.open(configuration, logger: logger)
        let store = opened.store
        let adapters = PlatformFactory.adapters(configuration) { platform in
            AdapterEnvironment(http: client(platform.rawValue), state: store, logger: logger,
                               isSharedStore: opened.replicas != nil)
        }
        let responder = try ResponderFactory.make(configuration, http: client("responder"), store: store, logger: logger,
                                                  metrics: metrics)
        let plugins = try PluginRegistry.builtIn.make(configuration.enabledPlugins, setup: configuration.pluginSetup)
        var observe = observer
        if let metrics {
            observe = { event in
                metrics.record(event)
                observer(event)
            }
        }
        let engine = Engine(configuration: configuration.engineConfiguration, store: store, adapters: adapters,
                            responder: responder, plugins: plugins, logger: logger, observer: observe,
                            replicas: opened.replicas)
        return BotAssembly(configuration: configuration, opened: opened, engine: engine)
    }
}
