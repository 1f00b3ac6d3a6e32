import Synchronization
import UnixSignals

/// SIGTERM/SIGINT received while `run` is still starting (opening the store, building adapters), before the
/// ServiceGroup listens for signals: without this the default action would kill the process with a signal status.
/// The request is kept and honoured as a graceful stop as soon as the bot runs.
public final class EarlyStop: Sendable {
    private let requested = Mutex(false)
    private let listener = Mutex<Task<Void, Never>?>(nil)

    private init() {}

    /// Starts listening; call it first thing in `run`.
    public static func listen() async -> EarlyStop {
        let stop = EarlyStop()
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let task = Task {
            for await _ in signals { stop.requested.withLock { $0 = true } }
        }
        stop.listener.withLock { $0 = task }
        return stop
    }

    var isRequested: Bool { requested.withLock { $0 } }

    public func finish() {
        listener.withLock { $0?.cancel() }
    }
}
