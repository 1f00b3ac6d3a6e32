import Foundation

/// The prompting synapses of subnet 1: `Prompting` (2023) and `StreamPromptingSynapse` (2024, streaming), the
/// latter optionally with the later required `task_name` field.
public struct PromptingSynapse: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case prompting = "Prompting"
        case streamPrompting = "StreamPromptingSynapse"

        public var isStreaming: Bool { self == .streamPrompting }
    }

    public var kind: Kind
    public var roles: [String]
    public var messages: [String]
    public var completion: String
    /// Set for the later `StreamPromptingSynapse` that requires `task_name`.
    public var taskName: String?

    public init(kind: Kind, roles: [String], messages: [String], completion: String = "", taskName: String? = nil) {
        self.kind = kind
        self.roles = roles
        self.messages = messages
        self.completion = completion
        self.taskName = taskName
    }

    public var name: String { kind.rawValue }

    /// Required fields (no default), in declaration order, with the JSON of an empty value of their type:
    /// what `bt_header_input_obj_<field>` carries (base64).
    public var requiredInputs: [(field: String, emptyJSON: String)] {
        var fields = [("roles", "[]"), ("messages", "[]")]
        if taskName != nil { fields.append(("task_name", "\"\"")) }
        return fields
    }

    /// `required_hash_fields = ["messages"]`: SHA3-256 hex of the concatenated SHA3-256 hex of `str(messages)`.
    public var bodyHash: String { Self.bodyHash(hashedValues: [PythonRepr.list(messages)]) }

    /// bittensor's body hash over the `str()` of each hashed field.
    public static func bodyHash(hashedValues: [String]) -> String {
        SHA3_256.hex(hashedValues.map(SHA3_256.hex).joined())
    }

    /// The JSON body of the request (the synapse's fields).
    public func jsonBody(timeout: Double) -> Data {
        var object: [String: Any] = ["name": name, "timeout": timeout, "roles": roles, "messages": messages,
                                     "completion": completion]
        if let taskName { object["task_name"] = taskName }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// Parses a request body as an axon does (`roles`, `messages` lists of strings; `completion`, `task_name`).
    public static func parse(kind: Kind, body: Data) throws -> PromptingSynapse {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw SynapseParseError("the body is not a JSON object")
        }
        guard let roles = object["roles"] as? [String] else { throw SynapseParseError("roles: expected a list of strings") }
        guard let messages = object["messages"] as? [String] else {
            throw SynapseParseError("messages: expected a list of strings")
        }
        let completion = object["completion"] as? String ?? ""
        return PromptingSynapse(kind: kind, roles: roles, messages: messages, completion: completion,
                                taskName: object["task_name"] as? String)
    }
}

public struct SynapseParseError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Python's `str(float)` for the `timeout` header (`12.0`, `12.5`).
enum PythonFloat {
    static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e16 { return "\(Int64(value)).0" }
        return "\(value)"
    }
}
