import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorSandbox
import TelegramAdapter

/// Test-only loopback HTTP client on URLSession, until `CurlHTTPClient` is merged.
final class TelegramTestHTTPClient: HTTPClient {
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

/// In-memory adapter state for tests.
actor TelegramTestState: AdapterStateStore, TokenStore {
    private var stored: [String: String] = [:]
    private var tokens: [String: String] = [:]

    func value(_ key: String, for platform: Platform) async throws -> String? { stored["\(platform):\(key)"] }
    func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws {
        stored["\(platform):\(key)"] = value
    }
    func values(for platform: Platform) async throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in stored where key.hasPrefix("\(platform):") {
            result[String(key.dropFirst(platform.rawValue.count + 1))] = value
        }
        return result
    }
    func token(_ name: String) async throws -> String? { tokens[name] }
    func saveToken(_ name: String, value: String, at date: Date) async throws { tokens[name] = value }
}

enum TelegramTest {
    static func environment(_ http: any HTTPClient, state: TelegramTestState = TelegramTestState()) -> AdapterEnvironment {
        var logger = Logger(label: "test.telegram")
        logger.logLevel = .critical
        return AdapterEnvironment(http: http, state: state, logger: logger)
    }

    /// An adapter talking to `emulator` over loopback.
    static func adapter(_ emulator: TelegramEmulator, token: String? = nil, pollTimeout: Int = 1,
                        deleteWebhook: Bool = false, state: TelegramTestState = TelegramTestState()) -> TelegramAdapter {
        let configuration = TelegramConfiguration(token: token ?? emulator.token, apiBase: emulator.apiBase,
                                                  pollTimeoutSeconds: pollTimeout, deleteWebhook: deleteWebhook)
        return TelegramAdapter(configuration: configuration, environment: environment(TelegramTestHTTPClient(),
                                                                                      state: state))
    }
}
