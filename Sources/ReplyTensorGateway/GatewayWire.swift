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
    /// Sent under `tokenField`.
    var maxTokens: Int?
    var tokenField: GatewayConfiguration.TokenField
    var temperature: Double?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(model, forKey: Key(stringValue: "model"))
        try container.encode(messages, forKey: Key(stringValue: "messages"))
        try container.encode(stream, forKey: Key(stringValue: "stream"))
        try container.encodeIfPresent(maxTokens, forKey: Key(stringValue: tokenField.rawValue))
        try container.encodeIfPresent(temperature, forKey: Key(stringValue: "temperature"))
    }
}

/// A non-streaming answer or one SSE chunk: `choices[].message` or `choices[].delta`, or an `error` (an object, or
/// a plain string as Hugging Face's text-generation-inference streams it).
struct GatewayChatAnswer: Decodable, Sendable {
    struct Content: Decodable, Sendable {
        var role: String?
        var content: GatewayContent?
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

    private enum CodingKeys: String, CodingKey { case model, choices, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices)
        error = GatewayErrorBody.Detail.decode(from: container, forKey: .error)
    }
}

/// A message's `content`: a string, or an array of parts whose `text` parts are the answer. Mistral's reasoning
/// models answer `[{"type":"thinking","thinking":[…]},{"type":"text","text":"…"}]` (spring-projects/spring-ai#5019);
/// only the `text` parts are kept.
struct GatewayContent: Decodable, Sendable {
    var text: String

    private struct Part: Decodable {
        var type: String?
        var text: String?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let string = try? container.decode(String.self) {
            text = string
        } else {
            let parts = try container.decode([GatewayLenient<Part>].self).compactMap(\.value)
            text = parts.filter { ($0.type ?? "text") == "text" }.compactMap(\.text).joined()
        }
    }
}

/// A value that may fail to decode without failing its container.
struct GatewayLenient<Value: Decodable>: Decodable {
    var value: Value?
    init(from decoder: any Decoder) throws { value = try? Value(from: decoder) }
}

/// Error bodies: OpenAI's `{"error":{"message","type","code"}}`, plus `{"error":"…"}`, `{"detail"}` and
/// `{"message"}` seen elsewhere.
struct GatewayErrorBody: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var message: String?
        var type: String?
        /// An HTTP-like status carried in the error (`"code": 502` from OpenRouter, `"code": "429"` elsewhere;
        /// OpenAI's `code` is a word such as `rate_limit_exceeded`, which is no status).
        var status: Int?

        private enum CodingKeys: String, CodingKey { case message, type, code, status }

        init(message: String?, type: String? = nil, status: Int? = nil) {
            self.message = message
            self.type = type
            self.status = status
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            status = Self.status(in: container, .code) ?? Self.status(in: container, .status)
        }

        private static func status(in container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Int? {
            let value = (try? container.decodeIfPresent(Int.self, forKey: key))
                ?? (try? container.decodeIfPresent(String.self, forKey: key)).flatMap { Int($0) }
            return value.flatMap { (100...599).contains($0) ? $0 : nil }
        }

        /// `error` as an object or a plain string; nil when absent or null.
        static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) -> Detail? {
            if let detail = try? container.decodeIfPresent(Detail.self, forKey: key) { return detail }
            if let text = try? container.decodeIfPresent(String.self, forKey: key) { return Detail(message: text) }
            return nil
        }
    }

    var error: Detail?
    var detail: String?
    var message: String?

    var text: String? { error?.message ?? detail ?? message }

    private enum CodingKeys: String, CodingKey { case error, detail, message }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = Detail.decode(from: container, forKey: .error)
        detail = try? container.decode(String.self, forKey: .detail)
        message = try? container.decode(String.self, forKey: .message)
    }
}

/// `GET /models`.
struct GatewayModelList: Decodable, Sendable {
    struct Model: Decodable, Sendable { var id: String }
    var data: [Model]
}
