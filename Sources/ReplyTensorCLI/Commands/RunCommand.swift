import ArgumentParser
import Foundation
import Logging
import Prometheus
import ReplyTensorCore
import ServiceLifecycle

/// `replytensor run`: the bot, until SIGINT/SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bot until SIGINT/SIGTERM, then shut down gracefully.",
        discussion: "Exit status: 0 clean stop, 1 fatal runtime error, 78 configuration error.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let earlyStop = await EarlyStop.listen()
        defer { earlyStop.finish() }
        let configuration = try options.load()
        LoggingSetup.bootstrap(configuration.log, secrets: configuration.secrets)
        let logger = Logger(label: "replytensor")
        guard !configuration.enabledPlatforms.isEmpty else {
            Console.error("configuration error: no platform is enabled; set enabled = true in [telegram], [discord] or [twitter]")
            throw ExitStatus.configuration
        }
        let registry = PrometheusCollectorRegistry()
        let metrics = configuration.metrics.listen.isEmpty
            ? nil : BotMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let assembly: BotAssembly
        do {
            assembly = try BotAssembly.make(configuration, http: HTTPClientFactory.make(configuration), logger: logger,
                                            metrics: metrics)
        } catch let error as ConfigurationError {
            Console.error(error.description)
            throw ExitStatus.configuration
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitStatus.failure
        }
        logger.info("starting", metadata: ["version": "\(ReplyTensorVersion.string)",
                                           "platforms": "\(configuration.enabledPlatforms.map(\.rawValue))",
                                           "store": "\(configuration.bot.store.path)"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metrics, let address = MetricsAddress(configuration.metrics.listen) {
            let endpoint = MetricsEndpoint(registry: registry, metrics: metrics, engine: assembly.engine,
                                           store: assembly.store, platforms: configuration.enabledPlatforms,
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
            throw ExitStatus.failure
        }
        logger.info("stopped cleanly")
    }
}

/// The engine as a service: graceful shutdown stops polling and lets work in flight finish; a second signal
/// exits at once (the ledger makes that safe to resume).
struct BotService: Service {
    let assembly: BotAssembly
    let logger: Logger
    let earlyStop: EarlyStop

    func run() async throws {
        let engine = assembly.engine
        let logger = logger
        defer {
            do {
                try assembly.store.close()
            } catch {
                logger.error("closing the store failed", metadata: ["error": "\(error)"])
            }
        }
        try await withGracefulShutdownHandler {
            if earlyStop.isRequested {
                logger.notice("a stop was requested while starting: stopping")
                engine.shutdown()
            }
            try await engine.run()
        } onGracefulShutdown: {
            logger.notice("shutting down: finishing work in flight (send the signal again to exit at once)")
            ImmediateExit.arm()
            engine.shutdown()
        }
    }
}

/// After the first SIGTERM/SIGINT, the next one ends the process at once.
enum ImmediateExit {
    static func arm() {
        signal(SIGTERM) { _ in _exit(143) }
        signal(SIGINT) { _ in _exit(130) }
    }
}
