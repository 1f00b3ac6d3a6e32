import Bittensor
import Foundation
import Hummingbird

/// A loopback subtensor JSON-RPC endpoint: `state_call("NeuronInfoRuntimeApi_get_neurons_lite", netuid)` answers a
/// SCALE `Vec<NeuronInfoLite>` of the neurons it was given (optionally in the older `Vec<u8>` envelope),
/// `system_chain` names the chain. Addresses are loopback only.
public final class SubtensorEmulator: Sendable {
    public let server: EmulatorServer
    public let recorder: RequestRecorder
    let state: SubtensorEmulatorState

    /// `http://127.0.0.1:PORT`: the `network` value for the bot.
    public var url: String { server.baseURL }

    private init(server: EmulatorServer, recorder: RequestRecorder, state: SubtensorEmulatorState) {
        self.server = server
        self.recorder = recorder
        self.state = state
    }

    public static func start(neurons: [UInt16: [NeuronInfoLite]] = [:], wrapped: Bool = false) async throws -> SubtensorEmulator {
        let state = SubtensorEmulatorState(neurons: neurons, wrapped: wrapped)
        let recorder = RequestRecorder()
        let router = Router()
        router.post("/", use: recorder.recording { await SubtensorEmulator.answer($0, state: state) })
        let server = try await EmulatorServer.start(router, name: "subtensor")
        return SubtensorEmulator(server: server, recorder: recorder, state: state)
    }

    public func stop() async { await server.stop() }

    public func setNeurons(_ neurons: [NeuronInfoLite], netuid: UInt16) async { await state.set(neurons, netuid: netuid) }
    /// Makes every call fail with HTTP 503 (`true`) or recover (`false`).
    public func setUnavailable(_ unavailable: Bool) async { await state.setUnavailable(unavailable) }

    /// A serving neuron at a loopback address.
    public static func neuron(uid: UInt16, netuid: UInt16 = 1, hotkey: [UInt8], host: String = "127.0.0.1", port: Int,
                              incentive: UInt16 = 30000, validatorPermit: Bool = false, active: Bool = true) -> NeuronInfoLite {
        let parts = host.split(separator: ".").compactMap { UInt64($0) }
        let isV4 = parts.count == 4
        let ipLow: UInt64 = isV4 ? parts.reduce(0) { $0 << 8 | $1 } : (host == "::1" ? 1 : 0)
        return NeuronInfoLite(
            hotkey: hotkey, coldkey: hotkey, uid: uid, netuid: netuid, active: active,
            axon: AxonEndpoint(block: 1, version: UInt32(DendriteSigner.version), ipHigh: 0, ipLow: ipLow,
                               port: UInt16(port), ipType: isV4 ? 4 : 6, protocol: 4),
            stake: [], rank: 0, emission: 0, incentive: incentive, consensus: 0, trust: 0, validatorTrust: 0,
            dividends: 0, lastUpdate: 1, validatorPermit: validatorPermit, pruningScore: 0)
    }

    static func answer(_ record: RecordedRequest, state: SubtensorEmulatorState) async -> Response {
        if await state.unavailable { return json(503, "{\"error\":\"unavailable\"}") }
        guard let object = record.json, let method = object["method"] as? String else {
            return json(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}")
        }
        let id = object["id"].flatMap { $0 as? Int }.map(String.init) ?? "null"
        let params = object["params"] as? [String] ?? []
        func result(_ value: String) -> Response { json(200, "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"result\":\(value)}") }
        switch method {
        case "system_chain":
            return result("\"ReplyTensor Local Subtensor\"")
        case "state_call" where params.first == "NeuronInfoRuntimeApi_get_neurons_lite":
            guard params.count == 2, let raw = Hex.decode(params[1]), raw.count == 2 else {
                return json(200, "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"error\":{\"code\":-32602,\"message\":\"Invalid params\"}}")
            }
            let netuid = UInt16(raw[0]) | UInt16(raw[1]) << 8
            let (neurons, wrapped) = await state.neurons(netuid: netuid)
            return result("\"0x" + Hex.encode(NeuronInfoLite.encodeList(neurons, wrapped: wrapped)) + "\"")
        default:
            return json(200, "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}")
        }
    }

    static func json(_ status: Int, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

actor SubtensorEmulatorState {
    private var table: [UInt16: [NeuronInfoLite]]
    private let wrapped: Bool
    private(set) var unavailable = false

    init(neurons: [UInt16: [NeuronInfoLite]], wrapped: Bool) {
        self.table = neurons
        self.wrapped = wrapped
    }

    func set(_ neurons: [NeuronInfoLite], netuid: UInt16) { table[netuid] = neurons }
    func setUnavailable(_ value: Bool) { unavailable = value }
    func neurons(netuid: UInt16) -> ([NeuronInfoLite], Bool) { (table[netuid] ?? [], wrapped) }
}
