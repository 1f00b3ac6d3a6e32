import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorTestSupport
import Synchronization

/// Runs an engine in the background for a test and waits for conditions.
final class EngineHarness: Sendable {
    let engine: Engine
    let task: Task<Void, any Error>
    let events = EventLog()

    init(store: any BotStore, adapters: [any PlatformAdapter], responder: any Responder,
         plugins: [any Plugin] = [], configuration: EngineConfiguration = .testing) {
        let events = events
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        engine = Engine(configuration: configuration, store: store, adapters: adapters, responder: responder,
                        plugins: plugins, logger: logger, observer: { events.append($0) })
        let engine = self.engine
        task = Task { try await engine.run() }
    }

    /// Waits (up to `timeout`) until `condition` holds; returns whether it did.
    @discardableResult
    static func wait(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(10)) { (try? await condition()) == true }
    }

    /// Stops the engine gracefully and waits for `run()` to return.
    func stop() async throws {
        engine.shutdown()
        try await task.value
    }

    /// Simulates `kill -9`: the run is cancelled, nothing is finished.
    func kill() async {
        task.cancel()
        _ = try? await task.value
    }
}

extension EngineConfiguration {
    static var testing: EngineConfiguration {
        EngineConfiguration(botName: "TestBot", persona: "You are a test.", maxConcurrentReplies: 8, contextDepth: 4,
                            retentionDays: 0, maxConsecutiveReplies: 3,
                            limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 0),
                            responderDeadline: .seconds(2), pollBackoff: (.milliseconds(10), .milliseconds(50)))
    }
}

/// Counts calls and answers with a labelled echo.
final class CountingResponder: Responder {
    let name = "counting"
    let calls = Mutex(0)
    let behaviour: @Sendable (Prompt) async throws -> String

    init(_ behaviour: @escaping @Sendable (Prompt) async throws -> String = { "answer to: \($0.question)" }) {
        self.behaviour = behaviour
    }

    func respond(to prompt: Prompt) async throws -> Completion {
        calls.withLock { $0 += 1 }
        return Completion(text: try await behaviour(prompt), backend: name)
    }
    var count: Int { calls.withLock { $0 } }
}

/// The engine's events, as an observer saw them.
final class EventLog: Sendable {
    private let storage = Mutex<[EngineEvent]>([])
    func append(_ event: EngineEvent) { storage.withLock { $0.append(event) } }
    var all: [EngineEvent] { storage.withLock { $0 } }
}
