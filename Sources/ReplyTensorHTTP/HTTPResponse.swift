import Foundation

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    /// The body as UTF-8 text, invalid sequences repaired.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A response whose body arrives in chunks (long polls, server-sent events, streaming synapses).
/// Iterating `body` reads the transfer as it happens; dropping the iteration or cancelling the task aborts it.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: HTTPHeaders, body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Reads the rest of the body, refusing more than `limit` bytes.
    ///
    /// Like every `AsyncStream`, the body may simply end when the iterating task is cancelled; `collect`
    /// turns that into `HTTPClientError.Code.cancelled` so a cut-off body is never mistaken for a whole one.
    public func collect(limit: Int = 16 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            data.append(chunk)
            if data.count > limit {
                throw HTTPClientError(.bodyTooLarge, "response body exceeds \(limit) bytes")
            }
        }
        if Task.isCancelled { throw HTTPClientError(.cancelled, "the response body was cancelled") }
        return data
    }
}
