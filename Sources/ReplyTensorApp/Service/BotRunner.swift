import Foundation
import Logging
import Prometheus
import ReplyTensorCore
import ReplyTensorStore
import ServiceLifecycle

/// `run`'s lifecycle: the bot and, when configured, the metrics endpoint in one ServiceGroup that shuts down
/// gracefully on SIGTERM/SIGINT.
public enum BotRunner {
    /// Why the bot could not run; the CLI maps each to its exit status (README, "Running it for real").
    public enum Failure: Error {
        /// An invalid configuration found while wiring (exit 78), with the message for stderr.
        case configuration(String)
        /// The bot could not start or stopped on a fatal error (exit 1); already logged.
        case fatal
        /// The bot must not start (exit 1), with the message for stderr: another bot holds the store.
        case refused(String)
    }

    /// Runs the bot until a graceful stop. `earlyStop` carries a signal received while starting.
    public static func run(_ configuration: ReplyTensorConfiguration, logger: Logger, earlyStop: EarlyStop) async throws(Failure) {
        // One bot per SQLite store, before anything is opened; held until this function returns (the process ends).
        // A PostgreSQL store is shared by replicas: leases and claims take turns there.
        var lock: StoreLock?
        if configuration.bot.postgres == nil {
            do { lock = try StoreLock.acquire(store: configuration.bot.store.path) } catch { throw .refused("\(error)") }
        }
        defer { lock?.release() }
        for warning in ConfigurationWarnings.list(configuration) { logger.warning("\(warning)") }
        let registry = PrometheusCollectorRegistry()
        let metrics = configuration.metrics.listen.isEmpty
            ? nil : BotMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let assembly: BotAssembly
        do {
            assembly = try await BotAssembly.make(configuration, http: HTTPClientFactory.make(configuration),
                                                  logger: logger, metrics: metrics)
        } catch let error as ConfigurationError {
            throw .configuration(error.description)
        } catch let error as BotError where error.code == .config {
            // E.g. a store whose schema is newer than this binary.
            throw .configuration(error.message)
        } catch let error as BotError where error.code == .storage {
            // E.g. PostgreSQL unreachable at start: host:port and the cause.
            throw .refused(error.message)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw .fatal
        }
        logger.info("starting", metadata: ["version": "\(ReplyTensorVersion.string)",
                                           "platforms": "\(configuration.enabledPlatforms.map(\.rawValue))",
                                           "store": "\(configuration.storeDescription)",
                                           "replica": "\(assembly.opened.replicas?.replicaName ?? "-")"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metrics, let address = MetricsAddress(configuration.metrics.listen) {
            let endpoint = MetricsEndpoint(registry: registry, metrics: metrics, engine: assembly.engine,
                                           store: assembly.opened, platforms: configuration.enabledPlatforms,
                                           window: configuration.metrics.healthWindowSeconds)
            services.append(.init(service: endpoint.application(address: address, logger: logger)))
            logger.info("serving /metrics and /healthz", metadata: ["listen": "\(configuration.metrics.listen)"])
        }
        // The ServiceGroup shuts services down in reverse order: the bot first, the metrics endpoint last.
        // The bot returning without error (a stop requested while starting) ends the run gracefully, not as a failure.
        services.append(.init(service: BotService(assembly: assembly, logger: logger, earlyStop: earlyStop),
                              successTerminationBehavior: .gracefullyShutdownGroup))
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                           logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(Int64(configuration.bot.shutdownGraceSeconds * 1000))
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.critical("stopped on a fatal error", metadata: ["error": "\(error)"])
            throw .fatal
        }
        logger.info("stopped cleanly")
    }
}
