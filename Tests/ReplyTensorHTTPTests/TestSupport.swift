import Foundation
import ReplyTensorHTTP
import Testing

/// A client for loopback tests: no proxy for 127.0.0.1 whatever the environment says.
func makeLoopbackClient() -> CurlHTTPClient {
    CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost"))
}

/// The `HTTPClientError` thrown by `body`, recording an issue if it returned or threw something else.
func httpError<T>(_ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> HTTPClientError? {
    do {
        _ = try await body()
        Issue.record("expected an HTTPClientError, got a result", sourceLocation: sourceLocation)
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("expected an HTTPClientError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Events from server threads to the test, in order.
struct ServerEvents: Sendable {
    let stream: AsyncStream<String>
    let sink: AsyncStream<String>.Continuation

    init() { (stream, sink) = AsyncStream.makeStream(of: String.self) }

    func send(_ event: String) { sink.yield(event) }
}

extension AsyncStream<String>.Iterator {
    /// The next event, or "none" if the stream ended.
    mutating func event() async -> String { await next() ?? "none" }
}

/// Times an async operation with the continuous clock.
func elapsed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}
