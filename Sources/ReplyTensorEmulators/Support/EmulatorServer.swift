import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird server on a loopback port chosen by the system, for emulators and local miners.
public final class EmulatorServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// The host it is bound to (always loopback).
    public let host: String
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(host: String, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.host = host
        self.port = port
        self.task = task
        self.group = group
    }

    /// `http://127.0.0.1:PORT` (or `http://[::1]:PORT`).
    public var baseURL: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }

    /// Starts `router` on `host` (127.0.0.1 unless another loopback address is given) and returns once it listens.
    /// `server` builds the HTTP server (HTTP/1.1, or with WebSocket upgrades for the Discord Gateway).
    public static func start<Context: RequestContext>(
        _ router: Router<Context>, name: String, host: String = "127.0.0.1", port: Int = 0,
        server: HTTPServerBuilder = .http1()
    ) async throws -> EmulatorServer where Context.Source == ApplicationRequestContextSource {
        guard isLoopback(host) else {
            throw EmulatorError("emulators bind loopback only; refusing \(host)")
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "replytensor.emulator.\(name)")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: name),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        // Its own ServiceGroup, without signal handlers (the sandbox's process owns SIGINT/SIGTERM), so `stop()` can
        // shut it down gracefully: the listening socket closes before anything is cancelled.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [],
                                                      cancellationSignals: [], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var bound = 0
        for await value in portStream {
            bound = value
            break
        }
        guard bound > 0 else {
            task.cancel()
            throw EmulatorError("\(name) emulator failed to start on \(host)")
        }
        return EmulatorServer(host: host, port: bound, task: task, group: group)
    }

    /// Stops the server: stops accepting at once, lets requests in flight finish for a moment (a long poll is not
    /// waited for), then cancels what is left. Cancelling first would let a connection accepted during the shutdown
    /// trip NIO's "NIOAsyncWriter deinited without finish()" precondition.
    public func stop() async {
        await Self.shutDown(group, task)
    }

    deinit {
        Task { [group, task] in await Self.shutDown(group, task) }
    }

    private static func shutDown(_ group: ServiceGroup, _ task: Task<Void, any Error>) async {
        await group.triggerGracefulShutdown()
        let deadline = Task {
            try await Task.sleep(for: .milliseconds(500))
            task.cancel()
        }
        _ = try? await task.value
        deadline.cancel()
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}

/// A failure of an emulator itself (not an emulated platform error).
public struct EmulatorError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
