import Foundation
import Synchronization

/// An in-memory `HTTPClient` for unit tests: a handler answers each request, and every request is recorded.
public final class ScriptedHTTPClient: HTTPClient {
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private let handler: Handler
    private let log = Mutex<[HTTPRequest]>([])

    public init(_ handler: @escaping Handler) { self.handler = handler }

    public var requests: [HTTPRequest] { log.withLock { $0 } }

    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        log.withLock { $0.append(request) }
        return try await handler(request)
    }
}
