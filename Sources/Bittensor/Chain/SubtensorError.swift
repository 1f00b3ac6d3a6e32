/// A failure talking to a subtensor node.
public struct SubtensorError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalid, transport, timeout, http, rpc, decoding, cancelled
    }

    public var kind: Kind
    public var message: String
    public var status: Int?

    public init(_ kind: Kind, _ message: String, status: Int? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
    }

    public var description: String { "subtensor \(kind.rawValue)" + (status.map { " HTTP \($0)" } ?? "") + ": \(message)" }
}
