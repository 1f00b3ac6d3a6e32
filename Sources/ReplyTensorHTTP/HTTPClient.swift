import Foundation

/// Sends HTTP requests. `CurlHTTPClient` is the production implementation; tests may use `ScriptedHTTPClient`.
public protocol HTTPClient: Sendable {
    /// Sends the request and returns the complete response. Non-2xx statuses are responses, not errors.
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends the request and returns as soon as the status and headers have arrived; the body streams.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
}

extension HTTPClient {
    /// Default streaming for clients that only know complete responses: one chunk.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let response = try await execute(request)
        let body = AsyncThrowingStream<Data, any Error> { continuation in
            continuation.yield(response.body)
            continuation.finish()
        }
        return HTTPStreamingResponse(status: response.status, headers: response.headers, body: body)
    }
}
