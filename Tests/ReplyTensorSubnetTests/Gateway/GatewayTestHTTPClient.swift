import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ReplyTensorCore
import ReplyTensorHTTP

/// Test-only loopback HTTP client on URLSession, until `CurlHTTPClient` is merged.
final class GatewayTestHTTPClient: HTTPClient {
    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.timeoutIntervalForResource = 120
        session = URLSession(configuration: configuration)
    }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url) else {
            throw HTTPClientError(.invalidRequest, "bad URL", url: request.redactedURL)
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for field in request.headers { urlRequest.addValue(field.value, forHTTPHeaderField: field.name) }
        urlRequest.httpBody = request.body
        if let timeout = request.timeout {
            urlRequest.timeoutInterval = Double(timeout.components.seconds) + 1
        }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            let http = response as? HTTPURLResponse
            var headers = HTTPHeaders()
            for (name, value) in http?.allHeaderFields ?? [:] {
                headers.add(String(describing: name), String(describing: value))
            }
            return HTTPResponse(status: http?.statusCode ?? 0, headers: headers, body: data)
        } catch let error as URLError {
            switch error.code {
            case .timedOut: throw HTTPClientError(.timeout, "timed out", url: request.redactedURL)
            case .cancelled: throw HTTPClientError(.cancelled, "cancelled", url: request.redactedURL)
            default: throw HTTPClientError(.transport, "\(error.code.rawValue)", url: request.redactedURL)
            }
        } catch is CancellationError {
            throw HTTPClientError(.cancelled, "cancelled", url: request.redactedURL)
        }
    }
}

