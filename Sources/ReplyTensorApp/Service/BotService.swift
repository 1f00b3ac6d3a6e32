import Foundation
import Logging
import ServiceLifecycle

/// The engine as a service: graceful shutdown stops polling and lets work in flight finish; a second signal
/// exits at once (the ledger makes that safe to resume).
public struct BotService: Service {
    let assembly: BotAssembly
    let logger: Logger
    let earlyStop: EarlyStop

    public init(assembly: BotAssembly, logger: Logger, earlyStop: EarlyStop) {
        self.assembly = assembly
        self.logger = logger
        self.earlyStop = earlyStop
    }

    public func run() async throws {
        let engine = assembly.engine
        let logger = logger
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
        await closeStore()
    }

    private func closeStore() async {
        do {
            try await assembly.opened.close()
        } catch {
            logger.error("closing the store failed", metadata: ["error": "\(error)"])
        }
    }
}

/// After the first SIGTERM/SIGINT, the next one ends the process at once.
public enum ImmediateExit {
    static func arm() {
        signal(SIGTERM) { _ in _exit(143) }
        signal(SIGINT) { _ in _exit(130) }
    }
}
