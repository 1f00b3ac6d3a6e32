import Bittensor
import Foundation
import Hummingbird

/// A Swift axon on 127.0.0.1 serving `Prompting` and `StreamPromptingSynapse`: it verifies every request exactly
/// like a bittensor 10.x axon (`AxonVerifier`) and answers through a pluggable responder. The sandbox's local miner.
public final class LocalAxon: Sendable {
    /// Produces the completion for a verified synapse; throwing answers 500 like a failing miner.
    public typealias Responder = @Sendable (PromptingSynapse) async throws -> String

    public let server: EmulatorServer
    public let keypair: Sr25519Keypair
    public let recorder: RequestRecorder
    let verifier: AxonVerifier
    let state: LocalAxonState

    /// The axon's hotkey (SS58).
    public var hotkey: String { keypair.ss58Address }
    public var port: Int { server.port }
    public var target: AxonTarget { AxonTarget(host: server.host, port: server.port, hotkey: hotkey) }

    private init(server: EmulatorServer, keypair: Sr25519Keypair, recorder: RequestRecorder, verifier: AxonVerifier,
                 state: LocalAxonState) {
        self.server = server
        self.keypair = keypair
        self.recorder = recorder
        self.verifier = verifier
        self.state = state
    }

    /// The default responder: `miner says: <last message>`.
    public static let echo: Responder = { "miner says: " + ($0.messages.last ?? "") }

    /// Starts an axon on `host` (loopback only). `blacklist` returns a reason for refused hotkeys (403).
    public static func start(keypair: Sr25519Keypair, host: String = "127.0.0.1",
                             blacklist: AxonVerifier.Blacklist? = nil,
                             responder: @escaping Responder = LocalAxon.echo,
                             chunkDelay: Duration = .zero) async throws -> LocalAxon {
        let verifier = AxonVerifier(hotkey: keypair.ss58Address, blacklist: blacklist)
        let recorder = RequestRecorder()
        let state = LocalAxonState(responder: responder, chunkDelay: chunkDelay)
        let router = Router()
        let handler = recorder.recording(limit: 4 << 20) { await LocalAxon.answer($0, verifier: verifier, state: state) }
        router.post("{synapse}", use: handler)
        router.get("{synapse}", use: handler)
        let server = try await EmulatorServer.start(router, name: "axon", host: host)
        return LocalAxon(server: server, keypair: keypair, recorder: recorder, verifier: verifier, state: state)
    }

    public func stop() async { await server.stop() }

    /// Replaces the responder.
    public func setResponder(_ responder: @escaping Responder) async { await state.setResponder(responder) }
    /// How many verified requests reached the responder.
    public var served: Int { get async { await state.served } }

    static func answer(_ record: RecordedRequest, verifier: AxonVerifier, state: LocalAxonState) async -> Response {
        switch await verifier.verify(path: record.path, headers: record.headers, body: record.body) {
        case .failure(let rejection):
            return error(rejection.status, rejection.message)
        case .success(let accepted):
            let (responder, chunkDelay) = await state.begin()
            let text: String
            do { text = try await responder(accepted.synapse) } catch {
                return Self.error(500, "Internal Server Error #\(UUID().uuidString.lowercased())")
            }
            var headers = HTTPFields()
            headers[FieldName("bt_header_axon_status_code")!] = "200"
            headers[FieldName("bt_header_axon_status_message")!] = "Success"
            if accepted.synapse.kind.isStreaming {
                headers[.contentType] = "text/event-stream"
                let parts = chunks(text)
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                    for part in parts {
                        try await writer.write(ByteBuffer(string: part))
                        if chunkDelay > .zero { try await Task.sleep(for: chunkDelay) }
                    }
                    try await writer.finish(nil)
                })
            }
            var synapse = accepted.synapse
            synapse.completion = text
            headers[.contentType] = "application/json"
            var object: [String: Any] = ["name": synapse.name, "timeout": accepted.timeout, "roles": synapse.roles,
                                         "messages": synapse.messages, "completion": synapse.completion,
                                         "computed_body_hash": synapse.bodyHash]
            if let task = synapse.taskName { object["task_name"] = task }
            let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// Streams in three parts, split on character boundaries.
    static func chunks(_ text: String) -> [String] {
        let characters = Array(text)
        guard characters.count >= 3 else { return [text] }
        let third = characters.count / 3
        return [String(characters[0..<third]), String(characters[third..<2 * third]), String(characters[(2 * third)...])]
    }

    static func error(_ status: Int, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[FieldName("bt_header_axon_status_code")!] = String(status)
        headers[FieldName("bt_header_axon_status_message")!] = String(message.prefix(200))
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message])) ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A header name (the HTTP types module's `HTTPField.Name`, reached through Hummingbird's `HTTPFields`).
typealias FieldName = HTTPFields.Element.Name

actor LocalAxonState {
    private var responder: LocalAxon.Responder
    let chunkDelay: Duration
    private(set) var served = 0

    init(responder: @escaping LocalAxon.Responder, chunkDelay: Duration) {
        self.responder = responder
        self.chunkDelay = chunkDelay
    }

    func setResponder(_ responder: @escaping LocalAxon.Responder) { self.responder = responder }

    func begin() -> (LocalAxon.Responder, Duration) {
        served += 1
        return (responder, chunkDelay)
    }
}
