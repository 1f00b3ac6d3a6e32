import Foundation
import ReplyTensorHTTP

/// Builds signed synapse requests exactly as bittensor ≥ 7.2 dendrites do.
public struct DendriteSigner: Sendable {
    /// `10.5.0` as bittensor's `version_as_int`; ≥ 7002000 makes axons apply the nonce freshness window.
    public static let version = 10_005_000

    public let keypair: Sr25519Keypair
    public let uuid: String
    public let hotkey: String

    public init(keypair: Sr25519Keypair, uuid: String) {
        self.keypair = keypair
        self.uuid = uuid
        self.hotkey = keypair.ss58Address
    }

    /// `"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}"`.
    public static func message(nonce: UInt64, dendriteHotkey: String, axonHotkey: String, uuid: String,
                               bodyHash: String) -> String {
        "\(nonce).\(dendriteHotkey).\(axonHotkey).\(uuid).\(bodyHash)"
    }

    /// The complete HTTP request for `synapse` to `axon`.
    public func request(_ synapse: PromptingSynapse, to axon: AxonTarget, nonce: UInt64, timeout: Duration,
                        maxBodyBytes: Int = 1 << 20, uuid leasedUUID: String? = nil) -> HTTPRequest {
        let uuid = leasedUUID ?? self.uuid
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let bodyHash = synapse.bodyHash
        let message = Self.message(nonce: nonce, dendriteHotkey: hotkey, axonHotkey: axon.hotkey, uuid: uuid,
                                   bodyHash: bodyHash)
        let signature = "0x" + Hex.encode(keypair.sign(message))
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("name", synapse.name)
        headers.add("timeout", PythonFloat.text(seconds))
        headers.add("bt_header_axon_ip", axon.host)
        headers.add("bt_header_axon_port", String(axon.port))
        headers.add("bt_header_axon_hotkey", axon.hotkey)
        headers.add("bt_header_dendrite_version", String(Self.version))
        headers.add("bt_header_dendrite_nonce", String(nonce))
        headers.add("bt_header_dendrite_uuid", uuid)
        headers.add("bt_header_dendrite_hotkey", hotkey)
        headers.add("bt_header_dendrite_signature", signature)
        for input in synapse.requiredInputs {
            headers.add("bt_header_input_obj_\(input.field)", Data(input.emptyJSON.utf8).base64EncodedString())
        }
        let body = synapse.jsonBody(timeout: seconds)
        headers.add("header_size", "640")
        headers.add("total_size", String(body.count))
        headers.add("computed_body_hash", bodyHash)
        return HTTPRequest(method: "POST", url: axon.url(synapse: synapse.name), headers: headers, body: body,
                           connectTimeout: min(timeout, .seconds(5)), timeout: timeout, maxBodyBytes: maxBodyBytes)
    }
}
