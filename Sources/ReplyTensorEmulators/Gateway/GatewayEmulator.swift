import Foundation
import Hummingbird

/// A loopback emulator of an OpenAI-compatible gateway: `POST /v1/chat/completions` (JSON or server-sent events
/// ending in `data: [DONE]`), `GET /v1/models`, API-key checks (`Authorization: Bearer KEY` or `api-key: KEY`) with
/// OpenAI's error JSON, deterministic answers, fault switches and a request recorder.
public final class GatewayEmulator: Sendable {
    /// One chat-completions request as the emulator understood it.
    public struct ChatRequest: Sendable, Hashable {
        public var model: String
        /// `(role, content)` pairs in order.
        public var messages: [Message]
        public var stream: Bool
        /// `bearer` or `api-key`.
        public var authStyle: String
        /// `max_tokens`, when sent.
        public var maxTokens: Int?
        /// `max_completion_tokens`, when sent.
        public var maxCompletionTokens: Int?

        public struct Message: Sendable, Hashable {
            public var role: String
            public var content: String
        }

        /// The last `user` message.
        public var lastUserMessage: String { messages.last(where: { $0.role == "user" })?.content ?? "" }
    }

    /// Makes the answer for a request.
    public typealias Answer = @Sendable (ChatRequest) -> String

    /// How answers are shaped, to play gateways that differ from OpenAI's own.
    public struct Style: Sendable, Hashable {
        /// `content` as an array of parts (a thinking part, then the text part), as Mistral's reasoning models send
        /// it, in complete answers and stream deltas alike.
        public var contentParts = false
        /// Answer `stream: true` with one JSON completion (`application/json`), as gateways that ignore `stream` do
        /// (lidge-jun/opencodex#3770: an upstream answering JSON where SSE was asked for).
        public var ignoresStream = false
        public init(contentParts: Bool = false, ignoresStream: Bool = false) {
            self.contentParts = contentParts
            self.ignoresStream = ignoresStream
        }
    }

    public let server: EmulatorServer
    public let recorder: RequestRecorder
    /// Faults by route suffix (`"chat/completions"`, `"models"`).
    public let faults: FaultPlan
    public let apiKey: String
    let state: GatewayEmulatorState

    /// `http://127.0.0.1:PORT/v1`: the responder's `base_url`.
    public var baseURL: String { server.baseURL + "/v1" }

    private init(server: EmulatorServer, recorder: RequestRecorder, faults: FaultPlan, apiKey: String,
                 state: GatewayEmulatorState) {
        self.server = server
        self.recorder = recorder
        self.faults = faults
        self.apiKey = apiKey
        self.state = state
    }

    /// The default answer: `[gateway-emulator] You said: <last user message>`.
    public static let echo: Answer = { "[gateway-emulator] You said: \($0.lastUserMessage)" }

    /// Starts the emulator on 127.0.0.1.
    /// - Parameters:
    ///   - models: what `GET /v1/models` lists; with `strictModels` other models answer 404 `model_not_found`.
    ///   - rejectingMaxTokens: models that answer 400 `unsupported_parameter` to `max_tokens` and want
    ///     `max_completion_tokens`, like OpenAI's o-series and GPT-5 family.
    public static func start(apiKey: String = "sk-emulator-0123456789abcdef", models: [String] = ["replytensor-emulator"],
                             strictModels: Bool = false, rejectingMaxTokens: Set<String> = [],
                             answer: @escaping Answer = GatewayEmulator.echo,
                             faultSeed: UInt64 = 7) async throws -> GatewayEmulator {
        let state = GatewayEmulatorState(apiKey: apiKey, models: models, strictModels: strictModels,
                                         rejectsMaxTokens: rejectingMaxTokens, answer: answer)
        let recorder = RequestRecorder()
        let faults = FaultPlan(seed: faultSeed)
        let routes = GatewayEmulatorRoutes(state: state, recorder: recorder, faults: faults)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in try await routes.handle(request, route: .completions) }
        router.get("/v1/models") { request, _ in try await routes.handle(request, route: .models) }
        let server = try await EmulatorServer.start(router, name: "gateway")
        return GatewayEmulator(server: server, recorder: recorder, faults: faults, apiKey: apiKey, state: state)
    }

    public func stop() async { await server.stop() }

    /// Replaces the answer closure.
    public func setAnswer(_ answer: @escaping Answer) async { await state.setAnswer(answer) }
    /// The next `count` completions answer with an empty text.
    public func enqueueEmptyAnswers(_ count: Int = 1) async { await state.addEmptyAnswers(count) }
    /// How answers are shaped from now on.
    public func setStyle(_ style: Style) async { await state.setStyle(style) }
    /// The next streamed answer breaks off after its first piece with an error event instead of `[DONE]`: with
    /// `status` nil as Hugging Face's text-generation-inference sends it, `{"error":"…","error_type":"…"}`
    /// (huggingface/huggingface_hub#2558: "the server response can be HTTP 200 but still get an error as a stream
    /// event"); with a status as LiteLLM's proxy does, `{"error":{"message":…,"code":"<status>"}}` (BerriAI/litellm
    /// `proxy_server.py`, `async_data_generator`).
    public func enqueueStreamError(_ message: String, status: Int? = nil) async {
        let event = status.map {
            "{\"error\":{\"message\":\(GatewayEmulatorRoutes.quote(message)),\"type\":\"None\",\"param\":\"None\","
                + "\"code\":\"\($0)\"}}"
        } ?? "{\"error\":\(GatewayEmulatorRoutes.quote(message)),\"error_type\":\"generation\"}"
        await state.addStreamError(event)
    }
    /// Pause between streamed chunks.
    public func setChunkDelay(_ delay: Duration) async { await state.setChunkDelay(delay) }
    /// Every chat-completions request that passed the auth check, in order.
    public var requests: [ChatRequest] { get async { await state.requests } }
    /// How many completions were answered with a text (including empty ones).
    public var answered: Int { get async { await state.answered } }
}

actor GatewayEmulatorState {
    let apiKey: String
    let models: [String]
    let strictModels: Bool
    let rejectsMaxTokens: Set<String>
    private(set) var answer: GatewayEmulator.Answer
    private(set) var style = GatewayEmulator.Style()
    private var streamErrors: [String] = []
    private(set) var emptyAnswers = 0
    private(set) var chunkDelay: Duration = .zero
    private(set) var requests: [GatewayEmulator.ChatRequest] = []
    private(set) var answered = 0
    private var nextID = 1

    init(apiKey: String, models: [String], strictModels: Bool, rejectsMaxTokens: Set<String>,
         answer: @escaping GatewayEmulator.Answer) {
        self.apiKey = apiKey
        self.models = models
        self.strictModels = strictModels
        self.rejectsMaxTokens = rejectsMaxTokens
        self.answer = answer
    }

    func setStyle(_ style: GatewayEmulator.Style) { self.style = style }
    func addStreamError(_ event: String) { streamErrors.append(event) }
    /// The next stream error event, if one is queued.
    func takeStreamError() -> String? { streamErrors.isEmpty ? nil : streamErrors.removeFirst() }

    func setAnswer(_ answer: @escaping GatewayEmulator.Answer) { self.answer = answer }
    func addEmptyAnswers(_ count: Int) { emptyAnswers += count }
    func setChunkDelay(_ delay: Duration) { chunkDelay = delay }

    /// Records the request and returns its answer text and completion id.
    func complete(_ request: GatewayEmulator.ChatRequest) -> (text: String, id: String) {
        requests.append(request)
        answered += 1
        defer { nextID += 1 }
        let id = "chatcmpl-emu\(nextID)"
        if emptyAnswers > 0 {
            emptyAnswers -= 1
            return ("", id)
        }
        return (answer(request), id)
    }
}
