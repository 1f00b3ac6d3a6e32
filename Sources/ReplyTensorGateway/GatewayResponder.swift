import Foundation
import ReplyTensorCore
import ReplyTensorHTTP

/// Answers prompts through an OpenAI-compatible gateway: `POST {base_url}/chat/completions` with the persona as
/// the `system` message and the conversation as `user`/`assistant` messages, streamed (SSE) or not.
///
/// Retries with exponential backoff and jitter on 429 (honouring `Retry-After`), 5xx, transport failures and empty
/// answers, all within `timeout`. Every failure is a `BotError(.responder)` carrying the gateway's own error
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
        guard let answer = try? JSONDecoder().decode(GatewayChatAnswer.self, from: response.body) else {
            throw GatewayAttemptFailure.malformed("the answer is not chat-completion JSON")
        }
        if let error = answer.error { throw GatewayAttemptFailure.inBand(error.message ?? "error without message") }
        let text = answer.choices?.first?.message?.content ?? ""
        return try Self.nonEmpty(text)
    }

    private func streamed(_ request: HTTPRequest) async throws -> String {
        let response = try await http.stream(request)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.collect(limit: 64 << 10)) ?? Data()
            throw GatewayAttemptFailure.http(status: response.status, body: body,
                                             retryAfter: Self.retryAfter(response.headers))
        }
        var events = GatewayEventStream()
        var text = ""
        var finished = false
        var received = 0
        let decoder = JSONDecoder()
        func consume(_ payloads: [String]) throws {
            for payload in payloads {
                let trimmed = payload.trimmingCharacters(in: .whitespaces)
                if trimmed == "[DONE]" {
                    finished = true
                    return
                }
                if trimmed.isEmpty { continue }
                guard let chunk = try? decoder.decode(GatewayChatAnswer.self, from: Data(trimmed.utf8)) else {
                    throw GatewayAttemptFailure.malformed("a streamed chunk is not chat-completion JSON")
                }
                if let error = chunk.error { throw GatewayAttemptFailure.inBand(error.message ?? "stream error") }
                guard let choice = chunk.choices?.first else { continue }
                text += choice.delta?.content ?? choice.message?.content ?? ""
                if choice.finishReason != nil { finished = true }
            }
        }
        for try await chunk in response.body {
            received += chunk.count
            if received > Self.maxBodyBytes {
                throw GatewayAttemptFailure.malformed("the stream exceeds \(Self.maxBodyBytes) bytes")
            }
            try consume(events.feed(chunk))
            if finished && text.isEmpty == false { break }
        }
        if !finished { try consume(events.finish()) }
        guard finished else {
            throw GatewayAttemptFailure.transport(HTTPClientError(.transport, "the stream ended before [DONE]"))
        }
        return try Self.nonEmpty(text)
    }

    private static func nonEmpty(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GatewayAttemptFailure.empty }
        return trimmed
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
                                         maxTokens: configuration.maxTokens, temperature: configuration.temperature)
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

/// Why one attempt failed, and whether another may succeed.
enum GatewayAttemptFailure: Error, Sendable {
    case http(status: Int, body: Data, retryAfter: Duration?)
    case transport(HTTPClientError)
    case timeout(Duration)
    case malformed(String)
    /// An `error` object inside a 200 answer or a stream.
    case inBand(String)
    case empty

    var status: Int? {
        if case .http(let status, _, _) = self { return status }
        return nil
    }

    var retryAfter: Duration? {
        if case .http(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): return status == 429 || status == 408 || status >= 500
        case .transport, .empty, .inBand: return true
        case .timeout, .malformed: return false
        }
    }

    var message: String {
        switch self {
        case .http(let status, let body, _):
            let decoded = (try? JSONDecoder().decode(GatewayErrorBody.self, from: body))?.text
            if let decoded, !decoded.isEmpty { return decoded }
            let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return excerpt.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(excerpt)"
        case .transport(let error): return error.description
        case .timeout(let limit): return "no answer within \(limit)"
        case .malformed(let detail): return detail
        case .inBand(let message): return message
        case .empty: return "the gateway returned an empty answer"
        }
    }
}
