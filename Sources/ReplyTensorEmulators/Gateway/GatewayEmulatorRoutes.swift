import Foundation
import Hummingbird

/// The HTTP side of the gateway emulator.
///
/// Source: the OpenAI API reference, "Create chat completion" (platform.openai.com/docs/api-reference/chat/create):
/// `POST /v1/chat/completions` with `Authorization: Bearer`, a `chat.completion` object, or with `stream: true`
/// `text/event-stream` events `data: {"object":"chat.completion.chunk", "choices":[{"delta":…}]}` ending in
/// `data: [DONE]`; errors as `{"error": {"message", "type", "param", "code"}}` with 401/404/429/5xx.
struct GatewayEmulatorRoutes: Sendable {
    enum Route { case completions, models }

    let state: GatewayEmulatorState
    let recorder: RequestRecorder
    let faults: FaultPlan

    func handle(_ request: Request, route: Route) async throws -> Response {
        var record = try await RecordedRequest.read(request)
        let response = await answer(record, route: route)
        record.status = response.status.code
        await recorder.record(record)
        return response
    }

    private func answer(_ record: RecordedRequest, route: Route) async -> Response {
        let authStyle: String
        if let authorization = record.headers["authorization"], authorization == "Bearer \(state.apiKey)" {
            authStyle = "bearer"
        } else if record.headers["api-key"] == state.apiKey {
            authStyle = "api-key"
        } else {
            let missing = record.headers["authorization"] == nil && record.headers["api-key"] == nil
            return Self.error(401, missing
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header "
                    + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided. You can find your API key in your gateway dashboard.",
                type: "invalid_request_error", code: "invalid_api_key")
        }

        var stream = false
        var chatRequest: GatewayEmulator.ChatRequest?
        if route == .completions {
            switch Self.parse(record.body, authStyle: authStyle) {
            case .failure(let message):
                return Self.error(400, message.text, type: "invalid_request_error", code: nil)
            case .success(let parsed):
                chatRequest = parsed
                stream = parsed.stream
            }
            if let chatRequest, state.strictModels, !state.models.contains(chatRequest.model) {
                return Self.error(404, "The model `\(chatRequest.model)` does not exist or you do not have access "
                    + "to it.", type: "invalid_request_error", code: "model_not_found")
            }
            // OpenAI's newer models refuse the older name of the output-token cap: `max_tokens` "is now deprecated in
            // favor of `max_completion_tokens`, and is not compatible with o-series models"
            // (https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens).
            if let chatRequest, chatRequest.maxTokens != nil, state.rejectsMaxTokens.contains(chatRequest.model) {
                return Self.error(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                    + "'max_completion_tokens' instead.", type: "invalid_request_error", code: "unsupported_parameter",
                    param: "max_tokens")
            }
        }

        if let fault = await faults.fault(for: record.path) {
            switch fault {
            case .status(let status):
                return Self.error(status, Self.standardMessage(status),
                                  type: status >= 500 ? "server_error" : "invalid_request_error",
                                  code: status == 429 ? "rate_limit_exceeded" : nil)
            case .rateLimited(let seconds):
                var response = Self.error(429, "Rate limit reached for requests. Please try again in \(seconds)s.",
                                          type: "requests", code: "rate_limit_exceeded")
                response.headers[.retryAfter] = Self.format(seconds)
                return response
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            case .malformedJSON:
                if stream { return Self.sse(["data: {\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n"], delay: .zero) }
                return Self.json(200, "{\"id\":\"chatcmpl-broken\",\"choices\":[{\"message\":")
            case .dropConnection:
                return Self.dropped(stream: stream)
            }
        }

        switch route {
        case .models:
            let data = state.models.map { "{\"id\":\(Self.quote($0)),\"object\":\"model\",\"created\":1700000000,"
                + "\"owned_by\":\"replytensor-emulator\"}" }
            return Self.json(200, "{\"object\":\"list\",\"data\":[" + data.joined(separator: ",") + "]}")
        case .completions:
            guard let chatRequest else { return Self.error(400, "bad request", type: "invalid_request_error", code: nil) }
            return await completion(chatRequest)
        }
    }

    /// The answer to a valid request: JSON, or server-sent events ending in `data: [DONE]` — unless the emulator
    /// plays a gateway that ignores `stream` (JSON anyway) or a stream that breaks off with an error event.
    private func completion(_ chatRequest: GatewayEmulator.ChatRequest) async -> Response {
        let (text, id) = await state.complete(chatRequest)
        let style = await state.style
        let created = Int(Date().timeIntervalSince1970)
        let model = Self.quote(chatRequest.model)
        if !chatRequest.stream || style.ignoresStream {
            let body = "{\"id\":\"\(id)\",\"object\":\"chat.completion\",\"created\":\(created),"
                + "\"model\":\(model),\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\(Self.content(text, parts: style.contentParts))},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}"
            return Self.json(200, body)
        }
        func chunk(_ delta: String, finish: String?) -> String {
            "data: {\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":"
                + "\(model),\"choices\":[{\"index\":0,\"delta\":{\(delta)},"
                + "\"finish_reason\":\(finish.map { "\"\($0)\"" } ?? "null")}]}\n\n"
        }
        var events = [": keep-alive\n\n", chunk("\"role\":\"assistant\",\"content\":\"\"", finish: nil)]
        var pieces: [String] = []
        var piece = ""
        for character in text {
            piece.append(character)
            if piece.count >= 8 {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        let streamError = await state.takeStreamError()
        for (index, piece) in pieces.enumerated() {
            // A stream that fails breaks off after its first piece.
            if let streamError, index > 0 {
                events.append("data: " + streamError + "\n\n")
                return Self.sse(events, delay: await state.chunkDelay)
            }
            events.append(chunk("\"content\":\(Self.content(piece, parts: style.contentParts))", finish: nil))
        }
        if let streamError { events.append("data: " + streamError + "\n\n") } else {
            events.append(chunk("", finish: "stop"))
            events.append("data: [DONE]\n\n")
        }
        return Self.sse(events, delay: await state.chunkDelay)
    }

    /// `content` as a JSON string, or as Mistral's reasoning models send it: a thinking part, then the text part
    /// (spring-projects/spring-ai#5019 shows `magistral-medium-2509`'s answer).
    static func content(_ text: String, parts: Bool) -> String {
        guard parts else { return quote(text) }
        return "[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"Reasoning traces...\"}]},"
            + "{\"type\":\"text\",\"text\":\(quote(text))}]"
    }

    private struct ParseError: Error { var text: String }

    private static func parse(_ body: Data, authStyle: String) -> Result<GatewayEmulator.ChatRequest, ParseError> {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return .failure(ParseError(text: "We could not parse the JSON body of your request."))
        }
        guard let model = object["model"] as? String, !model.isEmpty else {
            return .failure(ParseError(text: "you must provide a model parameter"))
        }
        guard let rawMessages = object["messages"] as? [[String: Any]], !rawMessages.isEmpty else {
            return .failure(ParseError(text: "'messages' is a required property"))
        }
        var messages: [GatewayEmulator.ChatRequest.Message] = []
        for raw in rawMessages {
            guard let role = raw["role"] as? String, ["system", "user", "assistant", "developer", "tool"].contains(role)
            else { return .failure(ParseError(text: "Invalid value for 'role'")) }
            guard let content = raw["content"] as? String else {
                return .failure(ParseError(text: "Invalid type for 'messages.content': expected a string"))
            }
            messages.append(.init(role: role, content: content))
        }
        let stream = (object["stream"] as? Bool) ?? false
        return .success(.init(model: model, messages: messages, stream: stream, authStyle: authStyle,
                              maxTokens: object["max_tokens"] as? Int,
                              maxCompletionTokens: object["max_completion_tokens"] as? Int))
    }

    // MARK: Responses

    static func standardMessage(_ status: Int) -> String {
        switch status {
        case 401: return "Incorrect API key provided."
        case 409: return "The request conflicts with another one in progress; please retry."
        case 429: return "Rate limit reached for requests."
        case 500: return "The server had an error while processing your request. Sorry about that!"
        case 502: return "Bad gateway."
        case 503: return "The engine is currently overloaded, please try again later."
        default: return "Error \(status)"
        }
    }

    static func quote(_ text: String) -> String {
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func error(_ status: Int, _ message: String, type: String, code: String?, param: String? = nil)
        -> Response {
        json(status, "{\"error\":{\"message\":\(quote(message)),\"type\":\(quote(type)),"
            + "\"param\":\(param.map(quote) ?? "null"),\"code\":\(code.map(quote) ?? "null")}}")
    }

    static func json(_ status: Int, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func sse(_ events: [String], delay: Duration) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for event in events {
                try await writer.write(ByteBuffer(string: event))
                if delay > .zero { try await Task.sleep(for: delay) }
            }
            try await writer.finish(nil)
        })
    }

    static func dropped(stream: Bool) -> Response {
        stream
            ? DroppedResponse.make(prefix: "data: {\"choices\":[{\"delta\":{\"content\":\"partial\"}}]}\n\n",
                                   contentType: "text/event-stream", contentLength: nil)
            : DroppedResponse.make(prefix: "{\"choices\":[")
    }
}
