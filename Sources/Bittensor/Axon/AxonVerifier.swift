import Foundation

/// The server-side checks of a bittensor 10.x axon, in its order and with its status codes:
/// unknown synapse 404; unparsable headers 500 (missing `bt_header_input_obj_*`, bad nonce); blacklisted 403;
/// not verified 401 (nonce window/monotonicity per `hotkey:uuid`, signature over the axon's own hotkey);
/// body hash mismatch 500. Only successful verifications record the nonce.
public actor AxonVerifier {
    /// A rejection the axon answers with `{"message": …}`.
    public struct Rejection: Error, Sendable, Equatable {
        public var status: Int
        public var message: String
    }

    /// A verified request.
    public struct Accepted: Sendable {
        public var synapse: PromptingSynapse
        public var dendriteHotkey: String
        public var timeout: Double
    }

    /// Returns a reason when `hotkey` is blacklisted.
    public typealias Blacklist = @Sendable (_ hotkey: String) -> String?

    public let hotkey: String
    private let blacklist: Blacklist?
    private let now: @Sendable () -> UInt64
    private var nonces: [String: UInt64] = [:]
    static let allowedDelta: UInt64 = 4_000_000_000

    public init(hotkey: String, blacklist: Blacklist? = nil,
                now: @escaping @Sendable () -> UInt64 = NonceClock.wallClockNanoseconds) {
        self.hotkey = hotkey
        self.blacklist = blacklist
        self.now = now
    }

    /// Checks one request. `headers` are matched case-insensitively; `path` is the URL path (`/Prompting`).
    public func verify(path: String, headers: [String: String], body: Data) -> Result<Accepted, Rejection> {
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        let name = path.split(separator: "/").first.map(String.init) ?? ""
        guard let kind = PromptingSynapse.Kind(rawValue: name) else {
            let available = (["Synapse"] + PromptingSynapse.Kind.allCases.map(\.rawValue)).map { "'\($0)'" }
            return .failure(Rejection(status: 404, message: "Synapse name '\(name)' not found. Available synapses "
                + "[\(available.joined(separator: ", "))]"))
        }
        // Header parsing (bittensor: from_headers → pydantic; a failure surfaces as an internal error).
        let internalError = Rejection(status: 500, message: "Internal Server Error #\(UUID().uuidString.lowercased())")
        guard lowered["bt_header_input_obj_roles"] != nil, lowered["bt_header_input_obj_messages"] != nil,
              let dendriteHotkey = lowered["bt_header_dendrite_hotkey"], !dendriteHotkey.isEmpty,
              let nonceText = lowered["bt_header_dendrite_nonce"], let nonce = UInt64(nonceText),
              let uuid = lowered["bt_header_dendrite_uuid"] else {
            return .failure(internalError)
        }
        let version = lowered["bt_header_dendrite_version"].flatMap { Int($0) }
        let timeout = lowered["timeout"].flatMap { Double($0) } ?? 12

        if let reason = blacklist?(dendriteHotkey) {
            return .failure(Rejection(status: 403, message: "Forbidden. Key is blacklisted: \(reason)."))
        }

        // Verification (bittensor's default_verify), 401 on failure.
        let endpointKey = "\(dendriteHotkey):\(uuid)"
        let previous = nonces[endpointKey]
        if let version, version >= 7_002_000 {
            let current = now()
            let window = Int64(current) - Int64(Self.allowedDelta) - Int64(timeout * 1e9)
            if previous == nil && Int64(clamping: nonce) <= window {
                let age = Double(Int64(current) - Int64(clamping: nonce)) / 1e9
                let allowed = (Double(Self.allowedDelta) + timeout * 1e9) / 1e9
                return .failure(Rejection(status: 401, message: "Not Verified with error: Nonce is too old: acceptable "
                    + "delta is \(String(format: "%.2f", allowed)) seconds but request was \(String(format: "%.2f", age)) seconds old"))
            }
        }
        if let previous, nonce <= previous {
            return .failure(Rejection(status: 401, message: "Not Verified with error: Nonce is too old, a newer one was last processed"))
        }
        let bodyHashHeader = lowered["computed_body_hash"] ?? ""
        let message = DendriteSigner.message(nonce: nonce, dendriteHotkey: dendriteHotkey, axonHotkey: hotkey,
                                             uuid: uuid, bodyHash: bodyHashHeader)
        guard let signatureText = lowered["bt_header_dendrite_signature"], !signatureText.isEmpty else {
            return .failure(Rejection(status: 401, message: "Not Verified with error: Missing Signature"))
        }
        guard let publicKey = try? SS58.decode(dendriteHotkey).publicKey, let signature = Hex.decode(signatureText),
              Sr25519Keypair.verify(signature: signature, message: Array(message.utf8), publicKey: publicKey) else {
            return .failure(Rejection(status: 401, message: "Not Verified with error: Signature mismatch with \(message) and \(signatureText)"))
        }
        nonces[endpointKey] = nonce

        // The route: the body must parse and hash to the signed header.
        guard let synapse = try? PromptingSynapse.parse(kind: kind, body: body), synapse.bodyHash == bodyHashHeader else {
            return .failure(internalError)
        }
        return .success(Accepted(synapse: synapse, dendriteHotkey: dendriteHotkey, timeout: timeout))
    }
}
