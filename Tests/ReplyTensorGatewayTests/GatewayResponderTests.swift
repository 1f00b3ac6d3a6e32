import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
@testable import ReplyTensorGateway
import Testing

@Suite("Gateway responder")
struct GatewayResponderTests {
    static let prompt = Prompt(persona: "You are terse.", turns: [
        ConversationTurn(role: .user, text: "first question"),
        ConversationTurn(role: .assistant, text: "first answer"),
        ConversationTurn(role: .user, text: "what is 2+2?"),
    ])

    static func responder(_ emulator: GatewayEmulator, stream: Bool = true, auth: GatewayConfiguration.AuthHeader = .bearer,
                          key: String? = nil, timeout: Duration = .seconds(10), retries: Int = 3) -> GatewayResponder {
        GatewayResponder(configuration: GatewayConfiguration(
            baseURL: emulator.baseURL + "/", apiKey: key ?? emulator.apiKey, authHeader: auth, model: "test-model",
            stream: stream, timeout: timeout, maxRetries: retries), http: CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")))
    }

    @Test(arguments: [true, false])
    func answersAndSendsTheConversation(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        let completion = try await Self.responder(emulator, stream: stream).respond(to: Self.prompt)
        #expect(completion.text == "[gateway-emulator] You said: what is 2+2?")
        #expect(completion.backend == "gateway")
        #expect(completion.source == "test-model")
        let request = try #require(await emulator.requests.first)
        #expect(request.stream == stream)
        #expect(request.model == "test-model")
        #expect(request.messages.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(request.messages.first?.content == "You are terse.")
        let recorded = try #require(await emulator.recorder.requests(path: "/v1/chat/completions").first)
        #expect(recorded.headers["authorization"] == "Bearer \(emulator.apiKey)")
    }

    @Test func longStreamedAnswerIsConcatenated() async throws {
        let long = String(repeating: "αβγ 😀 ", count: 200)
        let emulator = try await GatewayEmulator.start(answer: { _ in long })
        defer { Task { await emulator.stop() } }
        let completion = try await Self.responder(emulator).respond(to: Self.prompt)
        #expect(completion.text == long.trimmingCharacters(in: .whitespaces))
    }

    @Test func apiKeyHeader() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        _ = try await Self.responder(emulator, auth: .apiKey).respond(to: Self.prompt)
        let recorded = try #require(await emulator.recorder.requests.first)
        #expect(recorded.headers["api-key"] == emulator.apiKey)
        #expect(recorded.headers["authorization"] == nil)
        #expect(await emulator.requests.first?.authStyle == "api-key")
    }

    @Test func wrongKeyPropagatesTheGatewayMessageWithoutTheKey() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        let secret = "sk-wrong-secret-key-123456"
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, key: secret).respond(to: Self.prompt)
        }
        #expect(error?.code == .responder)
        #expect(error?.httpStatus == 401)
        #expect(error?.message.contains("Incorrect API key provided") == true)
        #expect(error?.description.contains(secret) == false)
        #expect(await emulator.recorder.requests.count == 1)  // 401 is not retried
    }

    @Test(arguments: [true, false])
    func retriesOn429HonouringRetryAfter(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.rateLimited(retryAfterSeconds: 1), route: "chat/completions")
        let clock = ContinuousClock()
        let start = clock.now
        let completion = try await Self.responder(emulator, stream: stream).respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
        #expect(start.duration(to: clock.now) >= .milliseconds(950))
        #expect(await emulator.recorder.requests.map(\.status) == [429, 200])
    }

    @Test(arguments: [true, false])
    func retriesOnServerErrorsAndDroppedConnections(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.status(503), route: "chat/completions")
        await emulator.faults.enqueue(.dropConnection, route: "chat/completions")
        // Two back-offs fit the deadline with room for a loaded machine: the retries are under test, not the clock.
        let responder = Self.responder(emulator, stream: stream, timeout: .seconds(30))
        let completion = try await responder.respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
        #expect(await emulator.recorder.requests.count == 3)
    }

    @Test func serverErrorsExhaustRetriesWithTheGatewayMessage() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.status(500), route: "chat/completions", times: 5)
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, retries: 1).respond(to: Self.prompt)
        }
        #expect(error?.httpStatus == 500)
        #expect(error?.message.contains("The server had an error") == true)
        #expect(await emulator.recorder.requests.count == 2)
    }

    @Test(arguments: [true, false])
    func emptyAnswersAreFailures(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start(answer: { _ in "  \n " })
        defer { Task { await emulator.stop() } }
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, stream: stream, retries: 1).respond(to: Self.prompt)
        }
        #expect(error?.code == .responder)
        #expect(error?.message.contains("empty") == true)
        // One empty answer, then a good one: retried.
        await emulator.setAnswer(GatewayEmulator.echo)
        await emulator.enqueueEmptyAnswers(1)
        let completion = try await Self.responder(emulator, stream: stream).respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
    }

    @Test(arguments: [true, false])
    func malformedAnswersFail(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.malformedJSON, route: "chat/completions")
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, stream: stream).respond(to: Self.prompt)
        }
        #expect(error?.code == .responder)
    }

    @Test func timeoutBoundsStallsAndRetries() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.stall(.seconds(5)), route: "chat/completions")
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, timeout: .seconds(1)).respond(to: Self.prompt)
        }
        #expect(error?.code == .responder)
        #expect(start.duration(to: clock.now) < .seconds(3))
    }

    @Test func verifyListsModels() async throws {
        let emulator = try await GatewayEmulator.start(models: ["a", "b"])
        defer { Task { await emulator.stop() } }
        #expect(try await Self.responder(emulator).verify() == ["a", "b"])
        let error = await #expect(throws: BotError.self) {
            try await Self.responder(emulator, key: "sk-nope-nope-nope").verify()
        }
        #expect(error?.httpStatus == 401)
        #expect(error?.description.contains("sk-nope-nope-nope") == false)
    }

    @Test func errorTextNeverShowsTheKey() async throws {
        let key = "sk-secret-in-echo-0000"
        let http = ScriptedHTTPClient { _ in
            HTTPResponse(status: 400, body: Data(#"{"error":{"message":"bad key sk-secret-in-echo-0000 used","type":"x"}}"#.utf8))
        }
        let responder = GatewayResponder(configuration: GatewayConfiguration(
            baseURL: "http://127.0.0.1:9/v1", apiKey: key, model: "m", stream: false), http: http)
        let error = await #expect(throws: BotError.self) { try await responder.respond(to: Self.prompt) }
        #expect(error?.message.contains(key) == false)
        #expect(error?.message.contains("bad key") == true)
        #expect(error?.httpStatus == 400)
    }

    @Test func eventStreamParsesIncrementally() {
        var stream = GatewayEventStream()
        let text = ": keep-alive\r\n\r\ndata: {\"a\":1}\r\n\r\nevent: ping\ndata: [DO"
        var payloads: [String] = []
        for byte in Array(text.utf8) { payloads += stream.feed(Data([byte])) }
        #expect(payloads == [#"{"a":1}"#])
        payloads += stream.feed(Data("NE]\n\n".utf8))
        #expect(payloads == [#"{"a":1}"#, "[DONE]"])
        payloads += stream.feed(Data("data: {\"b\":2}\ndata: {\"c\":3}\n".utf8))
        payloads += stream.finish()
        #expect(payloads == [#"{"a":1}"#, "[DONE]", #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test func streamedRoleDeltasAndErrorsInStream() async throws {
        let body = """
        : comment

        data: {"choices":[{"delta":{"role":"assistant"}}]}

        data: {"choices":[{"delta":{"content":"Hel"}}]}

        data: {"choices":[{"delta":{"content":"lo"},"finish_reason":null}]}

        data: [DONE]

        """
        let http = ScriptedHTTPClient { _ in HTTPResponse(status: 200, body: Data(body.utf8)) }
        let responder = GatewayResponder(configuration: GatewayConfiguration(
            baseURL: "http://127.0.0.1:9/v1", apiKey: "k-123456", model: "m"), http: http)
        #expect(try await responder.respond(to: Self.prompt).text == "Hello")

        let failing = ScriptedHTTPClient { _ in
            HTTPResponse(status: 200, body: Data("data: {\"error\":{\"message\":\"model overloaded\"}}\n\n".utf8))
        }
        let other = GatewayResponder(configuration: GatewayConfiguration(
            baseURL: "http://127.0.0.1:9/v1", apiKey: "k-123456", model: "m", maxRetries: 0), http: failing)
        let error = await #expect(throws: BotError.self) { try await other.respond(to: Self.prompt) }
        #expect(error?.message.contains("model overloaded") == true)
    }
}
