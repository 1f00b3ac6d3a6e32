import Foundation
import ReplyTensorHTTP

/// The few subtensor JSON-RPC calls the bot needs, over HTTP POST.
public struct SubtensorClient: Sendable {
    public let network: SubtensorNetwork
    public let http: any HTTPClient
    public var timeout: Duration
    public var maxResponseBytes: Int

    public init(network: SubtensorNetwork, http: any HTTPClient, timeout: Duration = .seconds(30),
                maxResponseBytes: Int = 64 << 20) {
        self.network = network
        self.http = http
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// `state_call("NeuronInfoRuntimeApi_get_neurons_lite", netuid as u16 LE)` decoded.
    public func neuronsLite(netuid: UInt16) async throws -> [NeuronInfoLite] {
        let bytes = try await neuronsLiteRaw(netuid: netuid)
        do { return try NeuronInfoLite.decodeList(bytes) } catch {
            throw SubtensorError(.decoding, "NeuronInfoLite list: \(error)")
        }
    }

    /// The raw SCALE bytes of the neuron list (what the metagraph cache keeps).
    public func neuronsLiteRaw(netuid: UInt16) async throws -> [UInt8] {
        let argument = "0x" + Hex.encode([UInt8(netuid & 0xff), UInt8(netuid >> 8)])
        let result = try await call("state_call", ["NeuronInfoRuntimeApi_get_neurons_lite", argument])
        guard let text = result as? String, let bytes = Hex.decode(text) else {
            throw SubtensorError(.decoding, "state_call result is not a hex string")
        }
        return bytes
    }

    /// `system_chain`: the chain's name (a cheap reachability check).
    public func chainName() async throws -> String {
        guard let name = try await call("system_chain", []) as? String else {
            throw SubtensorError(.decoding, "system_chain result is not a string")
        }
        return name
    }

    /// One JSON-RPC 2.0 call; returns `result` or throws the node's `error`.
    public func call(_ method: String, _ params: [String]) async throws -> Any {
        let payload: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
        let body = try JSONSerialization.data(withJSONObject: payload)
        let request = HTTPRequest(method: "POST", url: network.url, headers: ["Content-Type": "application/json"],
                                  body: body, connectTimeout: min(timeout, .seconds(10)), timeout: timeout,
                                  maxBodyBytes: maxResponseBytes)
        let response: HTTPResponse
        do { response = try await http.execute(request) } catch let error as HTTPClientError {
            switch error.code {
            case .timeout: throw SubtensorError(.timeout, error.description)
            case .cancelled: throw SubtensorError(.cancelled, error.description)
            case .bodyTooLarge: throw SubtensorError(.decoding, error.description)
            case .transport, .invalidRequest: throw SubtensorError(.transport, error.description)
            }
        }
        guard response.isSuccess else {
            throw SubtensorError(.http, "\(network.url) answered \(String(response.text.prefix(200)))", status: response.status)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw SubtensorError(.decoding, "the answer to \(method) is not a JSON object")
        }
        if let error = object["error"] as? [String: Any] {
            let code = error["code"].map { "\($0)" } ?? "?"
            throw SubtensorError(.rpc, "\(method): \(code) \(error["message"] as? String ?? "")")
        }
        guard let result = object["result"] else { throw SubtensorError(.decoding, "the answer to \(method) has no result") }
        return result
    }
}
