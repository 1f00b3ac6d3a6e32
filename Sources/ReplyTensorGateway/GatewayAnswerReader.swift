import Foundation
import ReplyTensorHTTP

/// Reads a chat-completions answer — one JSON completion, or a server-sent event stream of chunks — into its text.
/// Failures are `GatewayAttemptFailure`s: an `error` in the answer (an object or a plain string) is an in-band
/// failure carrying its status, if any; an empty text is `.empty`.
enum GatewayAnswerReader {
    /// The text of a complete (non-streaming) answer.
    static func text(ofComplete body: Data) throws -> String {
        guard let answer = try? JSONDecoder().decode(GatewayChatAnswer.self, from: body) else {
            throw GatewayAttemptFailure.malformed("the answer is not chat-completion JSON")
        }
        if let error = answer.error { throw inBand(error, fallback: "error without message") }
        return try nonEmpty(answer.choices?.first?.message?.content?.text ?? "")
    }

    /// The text of a streamed answer. A body that is not `text/event-stream` is collected whole: a JSON object is
    /// read as a complete answer (a gateway that ignores `stream: true`), anything else as events.
    static func text(of response: HTTPStreamingResponse, limit: Int) async throws -> String {
        let contentType = response.headers["Content-Type"]?.lowercased() ?? ""
        if !contentType.contains("text/event-stream") {
            let body = try await response.collect(limit: limit)
            if body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
                return try text(ofComplete: body)
            }
            var events = EventText()
            try events.consume(body)
            return try events.result()
        }
        var events = EventText()
        var received = 0
        for try await chunk in response.body {
            received += chunk.count
            if received > limit { throw GatewayAttemptFailure.malformed("the stream exceeds \(limit) bytes") }
            try events.consume(chunk)
            if events.isDone { break }
        }
        return try events.result()
    }

    /// The text gathered from a stream's events until `[DONE]` or a `finish_reason`.
    private struct EventText {
        private var stream = GatewayEventStream()
        private var text = ""
        private var finished = false
        private let decoder = JSONDecoder()

        /// Finished with some text: the rest of the stream can be left unread.
        var isDone: Bool { finished && !text.isEmpty }

        mutating func consume(_ chunk: Data) throws {
            try handle(stream.feed(chunk))
        }

        mutating func result() throws -> String {
            if !finished { try handle(stream.finish()) }
            guard finished else {
                throw GatewayAttemptFailure.transport(HTTPClientError(.transport, "the stream ended before [DONE]"))
            }
            return try nonEmpty(text)
        }

        private mutating func handle(_ payloads: [String]) throws {
            for payload in payloads {
                let trimmed = payload.trimmingCharacters(in: .whitespaces)
                if trimmed == "[DONE]" {
                    finished = true
                    return
                }
                if trimmed.isEmpty { continue }
                guard let chunk = try? decoder.decode(GatewayChatAnswer.self, from: Data(trimmed.utf8)) else {
                    throw GatewayAttemptFailure.malformed("a streamed chunk is not chat-completion JSON")
                }
                if let error = chunk.error { throw inBand(error, fallback: "stream error") }
                guard let choice = chunk.choices?.first else { continue }
                text += choice.delta?.content?.text ?? choice.message?.content?.text ?? ""
                if choice.finishReason != nil { finished = true }
            }
        }
    }

    private static func inBand(_ error: GatewayErrorBody.Detail, fallback: String) -> GatewayAttemptFailure {
        let message = error.message.flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        return .inBand(message, status: error.status)
    }

    private static func nonEmpty(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GatewayAttemptFailure.empty }
        return trimmed
    }
}
