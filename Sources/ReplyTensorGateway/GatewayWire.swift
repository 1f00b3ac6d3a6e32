import Foundation

// The OpenAI chat-completions wire format, as far as the gateway responder needs it.

struct GatewayChatMessage: Codable, Sendable, Hashable {
    var role: String
    var content: String
}

struct GatewayChatRequest: Encodable, Sendable {
    var model: String
    var messages: [GatewayChatMessage]
    var stream: Bool
    var maxTokens: Int?
    var temperature: Double?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature
        case maxTokens = "max_tokens"
    }
}

/// A non-streaming answer or one SSE chunk: `choices[].message` or `choices[].delta`, or an `error`.
struct GatewayChatAnswer: Decodable, Sendable {
    struct Content: Decodable, Sendable {
        var role: String?
        var content: String?
    }

    struct Choice: Decodable, Sendable {
        var message: Content?
        var delta: Content?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message, delta
            case finishReason = "finish_reason"
        }
    }

    var model: String?
    var choices: [Choice]?
    var error: GatewayErrorBody.Detail?
}

/// Error bodies: OpenAI's `{"error":{"message","type","code"}}`, plus `{"detail"}` and `{"message"}` seen elsewhere.
struct GatewayErrorBody: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var message: String?
        var type: String?
    }

    var error: Detail?
    var detail: String?
    var message: String?

    var text: String? { error?.message ?? detail ?? message }

    private enum CodingKeys: String, CodingKey { case error, detail, message }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let detail = try? container.decode(Detail.self, forKey: .error) {
            error = detail
        } else if let text = try? container.decode(String.self, forKey: .error) {
            error = Detail(message: text, type: nil)
        }
        detail = try? container.decode(String.self, forKey: .detail)
        message = try? container.decode(String.self, forKey: .message)
    }
}

/// `GET /models`.
struct GatewayModelList: Decodable, Sendable {
    struct Model: Decodable, Sendable { var id: String }
    var data: [Model]
}
