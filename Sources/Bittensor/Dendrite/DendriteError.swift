/// Why a dendrite query produced no completion.
public struct DendriteError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The axon answered with a non-200 status (`status` says which).
        case rejected
        /// Connect or total time ran out.
        case timeout
        /// Connection refused, reset, DNS: nothing came back.
        case unreachable
        /// The answer was not a usable synapse (bad JSON, invalid UTF-8, too big).
        case malformed
        case cancelled
    }

    public var kind: Kind
    public var status: Int?
    public var message: String
    public var axon: String

    public init(_ kind: Kind, status: Int? = nil, _ message: String, axon: String) {
        self.kind = kind
        self.status = status
        self.message = message
        self.axon = axon
    }

    public var description: String {
        "\(axon): " + (status.map { "HTTP \($0) " } ?? "") + "\(kind.rawValue): \(message)"
    }

    /// The meaning of the axon status codes bittensor uses.
    public static func meaning(of status: Int) -> String {
        switch status {
        case 400: return "bad request"
        case 401: return "signature or nonce not verified"
        case 403: return "our hotkey is blacklisted by this miner (miners usually require a hotkey registered in the subnet, often with stake or a validator permit)"
        case 404: return "the miner does not serve this synapse"
        case 408: return "the miner timed out"
        case 500: return "the miner failed (bad headers, body hash mismatch or an internal error)"
        case 503: return "the miner is busy (priority queue full)"
        default: return "unexpected status"
        }
    }
}
