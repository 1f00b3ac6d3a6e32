import Foundation

extension TelegramEmulator {
    /// A JSON value of a request parameter. The Bot API accepts parameters as a query string, a form body or a
    /// JSON body; in the first two every value is a string and objects are JSON-serialized strings.
    indirect enum Value: Sendable, Decodable {
        case null, bool(Bool), int(Int64), double(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .int(value)
            } else if let value = try? container.decode(Double.self) {
                self = .double(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([Value].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        var int64: Int64? {
            switch self {
            case .int(let value): return value
            case .double(let value): return value == value.rounded() ? Int64(exactly: value) : nil
            case .string(let value): return Int64(value.trimmingCharacters(in: .whitespaces))
            default: return nil
            }
        }

        var string: String? {
            switch self {
            case .string(let value): return value
            case .int(let value): return String(value)
            case .double(let value): return String(value)
            case .bool(let value): return String(value)
            default: return nil
            }
        }

        var bool: Bool? {
            switch self {
            case .bool(let value): return value
            case .int(let value): return value != 0
            case .string(let value): return ["true", "1"].contains(value.lowercased()) ? true
                : (["false", "0"].contains(value.lowercased()) ? false : nil)
            default: return nil
            }
        }

        /// An object, also from a JSON-serialized string (form and query parameters).
        var object: [String: Value]? {
            switch self {
            case .object(let value): return value
            case .string(let text): return Value.parse(Data(text.utf8))?.objectValue
            default: return nil
            }
        }

        var array: [Value]? {
            switch self {
            case .array(let value): return value
            case .string(let text):
                if case .array(let value)? = Value.parse(Data(text.utf8)) { return value }
                return nil
            default: return nil
            }
        }

        private var objectValue: [String: Value]? {
            if case .object(let value) = self { return value }
            return nil
        }

        static func parse(_ data: Data) -> Value? { try? JSONDecoder().decode(Value.self, from: data) }
    }

    /// The parameters of one request: query string, then the body (JSON or form) on top.
    struct Params: Sendable {
        var values: [String: Value]

        /// `nil` when the body is JSON but not an object (Telegram answers 400 then).
        init?(query: [String: String], body: Data, contentType: String?) {
            values = query.mapValues { .string($0) }
            let type = contentType?.lowercased() ?? ""
            let trimmed = body.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
            if type.contains("application/json") || (type.isEmpty && trimmed.first == UInt8(ascii: "{")) {
                guard !trimmed.isEmpty else { return }
                guard case .object(let object)? = Value.parse(body) else { return nil }
                values.merge(object) { _, new in new }
            } else if type.contains("application/x-www-form-urlencoded") || type.isEmpty {
                for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    func decode(_ text: Substring) -> String {
                        let spaced = text.replacingOccurrences(of: "+", with: " ")
                        return spaced.removingPercentEncoding ?? spaced
                    }
                    guard let name = parts.first.map(decode), !name.isEmpty else { continue }
                    values[name] = .string(parts.count > 1 ? decode(parts[1]) : "")
                }
            }
        }

        subscript(name: String) -> Value? {
            guard let value = values[name] else { return nil }
            if case .null = value { return nil }
            return value
        }
    }
}
