import Foundation
import ReplyTensorCore
import ReplyTensorHTTP

/// Answers prompts through an OpenAI-compatible gateway: `POST {base_url}/chat/completions` with the persona as
/// the `system` message and the conversation as `user`/`assistant` messages, streamed (SSE) or not.
///
/// Retries with exponential backoff and jitter on 408, 409, 429 (honouring `Retry-After`), 5xx, in-band errors
/// without such a status, transport failures and empty answers, all within `timeout`. Every failure is a `BotError(.responder)` carrying the gateway's own error
/// message and HTTP status; the API key never appears in one.
public struct GatewayResponder: Responder {
    public let name = "gateway"
    public let configuration: GatewayConfiguration
    private let http: any HTTPClient
    private let clock: any Clock<Duration>

    /// Largest error or non-streaming body read.
    static let maxBodyBytes = 4 << 20

    /// - Parameter clock: used for the timeout and the waits between retries.
    public init(configuration: GatewayConfiguration, http: any HTTPClient,
                clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
    }

    public func respond(to prompt: Prompt) async throws -> Completion {
        try await run(prompt, clock: clock)
    }

    /// Checks the base URL and the key with `GET {base_url}/models` (free, unlike a completion) and returns the
    /// model ids the gateway lists. For `replytensor check`; the configured model need not be listed.
    @discardableResult
    public func verify() async throws -> [String] {
        var request = HTTPRequest(method: "GET", url: configuration.baseURL + "/models",
                                  headers: authHeaders(), timeout: configuration.timeout,
                                  maxBodyBytes: Self.maxBodyBytes, redactions: [configuration.apiKey])
        request.headers.add("Accept", "application/json")
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            throw failure(GatewayAttemptFailure.transport(error).message, status: nil)
        }
        guard response.isSuccess else {
            let attempt = GatewayAttemptFailure.http(status: response.status, body: response.body,
                                                     retryAfter: nil)
            throw failure("GET /models: " + attempt.message, status: response.status)
        }
        guard let list = try? JSONDecoder().decode(GatewayModelList.self, from: response.body) else {
            throw failure("GET /models: the answer is not an OpenAI model list", status: response.status)
        }
        return list.data.map(\.id)
    }

    // MARK: Attempts

    /// Deadlines are measured on a monotonic clock (the transfers run in real time); waits use `clock`.
    private func run(_ prompt: Prompt, clock: any Clock<Duration>) async throws -> Completion {
        let timer = ContinuousClock()
        let start = timer.now
        let deadline = start.advanced(by: configuration.timeout)
        let body = try requestBody(for: prompt)
        var attempt = 0
        var generator = SystemRandomNumberGenerator()
        while true {
            let remaining = timer.now.duration(to: deadline)
            guard remaining > .zero else {
                throw failure("no answer within \(configuration.timeout)", status: nil)
            }
            let outcome: Result<String, GatewayAttemptFailure>
            do {
                // The HTTP client's own timeout is the first line of defence; this one also covers streams that
                // trickle forever.
                let text = try await withDeadline(remaining, clock: clock,
                                                  onTimeout: { GatewayAttemptFailure.timeout(remaining) }) {
                    try await self.attempt(body, timeout: remaining)
                }
                outcome = .success(text)
            } catch let error as GatewayAttemptFailure {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let text):
                return Completion(text: text, backend: name, source: configuration.model,
                                  latency: start.duration(to: timer.now))
            case .failure(let error):
                try Task.checkCancellation()
                guard error.isRetryable, attempt < configuration.maxRetries else {
                    throw failure(error.message, status: error.status, retryAfter: error.retryAfter)
                }
                let backoff = Self.retryBackoff.delay(forFailure: attempt, using: &generator)
                let wait = max(error.retryAfter ?? .zero, backoff)
                guard wait < timer.now.duration(to: deadline) else {
                    throw failure(error.message, status: error.status, retryAfter: error.retryAfter)
                }
                try await clock.sleep(for: wait, tolerance: nil)
                attempt += 1
            }
        }
    }

    /// 0.5 s · 2ⁿ (at most 8 s), with equal jitter: between half and all of it.
    static let retryBackoff = Backoff(initial: .milliseconds(500), maximum: .seconds(8))

    /// One request: the answer's text, or a `GatewayAttemptFailure`.
    private func attempt(_ body: Data, timeout: Duration) async throws -> String {
        var request = HTTPRequest(method: "POST", url: configuration.baseURL + "/chat/completions",
                                  headers: authHeaders(), body: body, timeout: timeout,
                                  maxBodyBytes: Self.maxBodyBytes, redactions: [configuration.apiKey])
        request.headers.add("Content-Type", "application/json")
        request.headers.add("Accept", configuration.stream ? "text/event-stream" : "application/json")
        do {
            if configuration.stream {
                return try await streamed(request)
            }
            return try await complete(request)
        } catch let error as HTTPClientError {
            if error.code == .cancelled { throw CancellationError() }
            throw GatewayAttemptFailure.transport(error)
        } catch let error as GatewayAttemptFailure {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw GatewayAttemptFailure.transport(HTTPClientError(.transport, String(describing: error)))
        }
    }

    private func complete(_ request: HTTPRequest) async throws -> String {
        let response = try await http.execute(request)
        guard response.isSuccess else {
            throw GatewayAttemptFailure.http(status: response.status, body: response.body,
                                             retryAfter: Self.retryAfter(response.headers))
        }
        return try GatewayAnswerReader.text(ofComplete: response.body)
    }

    /// A streamed request. A gateway that answers `stream: true` with a plain JSON completion (no
    /// `text/event-stream`) is read as one.
    private func streamed(_ request: HTTPRequest) async throws -> String {
        let response = try await http.stream(request)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.collect(limit: 64 << 10)) ?? Data()
            throw GatewayAttemptFailure.http(status: response.status, body: body,
                                             retryAfter: Self.retryAfter(response.headers))
        }
        return try await GatewayAnswerReader.text(of: response, limit: Self.maxBodyBytes)
    }

    // MARK: Request parts

    private func authHeaders() -> HTTPHeaders {
        switch configuration.authHeader {
        case .bearer: return ["Authorization": "Bearer \(configuration.apiKey)"]
        case .apiKey: return ["api-key": configuration.apiKey]
        }
    }

    private func requestBody(for prompt: Prompt) throws -> Data {
        var messages: [GatewayChatMessage] = []
        if !prompt.persona.isEmpty { messages.append(GatewayChatMessage(role: "system", content: prompt.persona)) }
        for turn in prompt.turns { messages.append(GatewayChatMessage(role: turn.role.rawValue, content: turn.text)) }
        let request = GatewayChatRequest(model: configuration.model, messages: messages, stream: configuration.stream,
                                         maxTokens: configuration.maxTokens, tokenField: configuration.tokenField,
                                         temperature: configuration.temperature)
        do {
            return try JSONEncoder().encode(request)
        } catch {
            throw failure("cannot encode the request: \(error)", status: nil)
        }
    }

    /// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        if let milliseconds = headers["retry-after-ms"].flatMap({ Double($0) }), milliseconds >= 0 {
            return .milliseconds(Int(milliseconds))
        }
        guard let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int(max(0, date.timeIntervalSinceNow) * 1000))
    }

    private func failure(_ message: String, status: Int?, retryAfter: Duration? = nil) -> BotError {
        BotError(.responder, "gateway: " + Redaction.apply([configuration.apiKey], to: message), httpStatus: status,
                 retryAfter: retryAfter)
    }
}
