import Foundation
import ReplyTensorHTTP

/// An `HTTPClient` that counts every request by owner (platform or responder), endpoint family and status.
public struct InstrumentedHTTPClient: HTTPClient {
    let base: any HTTPClient
    let owner: String
    let metrics: BotMetrics

    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            let response = try await base.execute(request)
            metrics.recordHTTP(platform: owner, path: Self.path(of: request), status: response.status)
            return response
        } catch {
            if !(error is CancellationError) { metrics.recordHTTP(platform: owner, path: Self.path(of: request), status: nil) }
            throw error
        }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        do {
            let response = try await base.stream(request)
            metrics.recordHTTP(platform: owner, path: Self.path(of: request), status: response.status)
            return response
        } catch {
            if !(error is CancellationError) { metrics.recordHTTP(platform: owner, path: Self.path(of: request), status: nil) }
            throw error
        }
    }

    /// The URL's path (never its query, which may carry secrets).
    static func path(of request: HTTPRequest) -> String {
        URLComponents(string: request.url)?.path ?? "/"
    }
}
