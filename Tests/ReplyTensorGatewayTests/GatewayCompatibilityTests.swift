import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
@testable import ReplyTensorGateway
import Testing

/// OpenAI-compatible gateways that are not quite OpenAI: error events in a stream, content as parts, 409, JSON where
/// a stream was asked for, and models that want `max_completion_tokens`.
@Suite("Gateway compatibility")
struct GatewayCompatibilityTests {
    static let prompt = GatewayResponderTests.prompt

    @Test func anErrorEventInTheStreamIsAnErrorRetriedByItsStatus() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        // A plain-text error (text-generation-inference) carries no status: retried like a server error.
        await emulator.enqueueStreamError("Model is overloaded")
        let completion = try await GatewayResponderTests.responder(emulator).respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
        #expect(await emulator.recorder.requests.count == 2)

        // With a status (LiteLLM's proxy): 429 is retried, 400 is not and keeps the gateway's message.
        await emulator.recorder.reset()
        await emulator.enqueueStreamError("Rate limit reached", status: 429)
        _ = try await GatewayResponderTests.responder(emulator).respond(to: Self.prompt)
        #expect(await emulator.recorder.requests.count == 2)
        await emulator.recorder.reset()
        await emulator.enqueueStreamError("Input validation error: prompt too long", status: 400)
        let error = await #expect(throws: BotError.self) {
            try await GatewayResponderTests.responder(emulator).respond(to: Self.prompt)
        }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("Input validation error") == true)
        #expect(await emulator.recorder.requests.count == 1)
    }

    @Test(arguments: [true, false])
    func contentAsPartsKeepsTheTextParts(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setStyle(.init(contentParts: true))
        let completion = try await GatewayResponderTests.responder(emulator, stream: stream).respond(to: Self.prompt)
        #expect(completion.text == "[gateway-emulator] You said: what is 2+2?")
    }

    @Test(arguments: [true, false])
    func conflictIsRetried(stream: Bool) async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.faults.enqueue(.status(409), route: "chat/completions")
        let completion = try await GatewayResponderTests.responder(emulator, stream: stream).respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
        #expect(await emulator.recorder.requests.map(\.status) == [409, 200])
    }

    @Test func aJSONAnswerToAStreamRequestIsRead() async throws {
        let emulator = try await GatewayEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setStyle(.init(ignoresStream: true))
        let completion = try await GatewayResponderTests.responder(emulator, stream: true).respond(to: Self.prompt)
        #expect(completion.text == "[gateway-emulator] You said: what is 2+2?")
        #expect(await emulator.requests.first?.stream == true)
        #expect(await emulator.recorder.requests.count == 1)
        let recorded = try #require(await emulator.recorder.requests.first)
        #expect(recorded.headers["accept"] == "text/event-stream")
    }

    @Test func theTokenCapGoesUnderTheConfiguredField() async throws {
        let emulator = try await GatewayEmulator.start(models: ["o3-mini"], rejectingMaxTokens: ["o3-mini"])
        defer { Task { await emulator.stop() } }
        func responder(_ field: GatewayConfiguration.TokenField) -> GatewayResponder {
            GatewayResponder(configuration: GatewayConfiguration(
                baseURL: emulator.baseURL, apiKey: emulator.apiKey, model: "o3-mini", maxTokens: 300,
                tokenField: field), http: CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")))
        }
        let completion = try await responder(.maxCompletionTokens).respond(to: Self.prompt)
        #expect(completion.text.hasPrefix("[gateway-emulator]"))
        let request = try #require(await emulator.requests.first)
        #expect(request.maxCompletionTokens == 300)
        #expect(request.maxTokens == nil)

        // The older name: the model refuses it, which is no reason to retry.
        await emulator.recorder.reset()
        let error = await #expect(throws: BotError.self) { try await responder(.maxTokens).respond(to: Self.prompt) }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("Use 'max_completion_tokens' instead") == true)
        #expect(await emulator.recorder.requests.count == 1)
    }

    @Test func errorsAsObjectsOrStringsInA200Answer() throws {
        let string = Data(#"{"error":"Input validation error","error_type":"validation"}"#.utf8)
        #expect(throws: GatewayAttemptFailure.self) { try GatewayAnswerReader.text(ofComplete: string) }
        do {
            _ = try GatewayAnswerReader.text(ofComplete: Data(#"{"error":{"message":"upstream","code":502}}"#.utf8))
        } catch let failure as GatewayAttemptFailure {
            #expect(failure.status == 502)
            #expect(failure.isRetryable)
            #expect(failure.message == "upstream")
        }
        let words = Data(#"{"error":{"message":"bad","code":"invalid_api_key"}}"#.utf8)
        do {
            _ = try GatewayAnswerReader.text(ofComplete: words)
        } catch let failure as GatewayAttemptFailure {
            #expect(failure.status == nil)
        }
    }
}
