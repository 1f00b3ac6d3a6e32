import Foundation

/// A deterministic local responder: answers without any network, clearly labelled as such. Used by the
/// sandbox's local miners, the benchmark and tests.
public struct InMemoryResponder: Responder {
    public let name: String
    private let answer: @Sendable (Prompt) async throws -> String

    /// Answers with `answer(prompt)`.
    public init(name: String = "local", answer: @escaping @Sendable (Prompt) async throws -> String) {
        self.name = name
        self.answer = answer
    }

    /// The standard deterministic answer: a labelled echo of the question.
    public static func echo(name: String = "local") -> InMemoryResponder {
        InMemoryResponder(name: name) { prompt in "[local responder] You asked: \(prompt.question)" }
    }

    public func respond(to prompt: Prompt) async throws -> Completion {
        let start = ContinuousClock.now
        let text = try await answer(prompt)
        return Completion(text: text, backend: name, source: "deterministic", latency: ContinuousClock.now - start)
    }
}
