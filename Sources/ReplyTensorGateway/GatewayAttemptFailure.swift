import Foundation
import ReplyTensorHTTP

/// Why one attempt failed, and whether another may succeed.
enum GatewayAttemptFailure: Error, Sendable {
    case http(status: Int, body: Data, retryAfter: Duration?)
    case transport(HTTPClientError)
    case timeout(Duration)
    case malformed(String)
    /// An `error` inside a 200 answer or a stream, with the status it carries, if any.
    case inBand(String, status: Int?)
    case empty

    var status: Int? {
        switch self {
        case .http(let status, _, _): return status
        case .inBand(_, let status): return status
        default: return nil
        }
    }

    var retryAfter: Duration? {
        if case .http(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): return Self.isRetryable(status: status)
        case .inBand(_, let status): return status.map(Self.isRetryable(status:)) ?? true
        case .transport, .empty: return true
        case .timeout, .malformed: return false
        }
    }

    /// The statuses the OpenAI client libraries retry (openai/openai-python `_base_client.py`, `_should_retry`):
    /// 408 request timeout, 409 lock timeout, 429 rate limit, 5xx.
    static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || status >= 500
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
        case .inBand(let message, _): return message
        case .empty: return "the gateway returned an empty answer"
        }
    }
}
