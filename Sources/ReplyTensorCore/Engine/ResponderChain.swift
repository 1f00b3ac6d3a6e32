/// Tries responders in order (`responder.order`) and returns the first acceptable answer. An empty answer, an
/// error, or an answer the review denies counts as that responder's failure, and the next one is asked. A responder
/// that does not accept the prompt (its `platforms` do not include the prompt's) is skipped without being asked.
public struct ResponderChain: Responder {
    public let responders: [any Responder]
    public var name: String { responders.map(\.name).joined(separator: "→") }
    public func accepts(_ prompt: Prompt) -> Bool { responders.contains { $0.accepts(prompt) } }

    public init(_ responders: [any Responder]) { self.responders = responders }

    public func respond(to prompt: Prompt) async throws -> Completion {
        try await respond(to: prompt, review: { _ in .accept })
    }

    /// When every responder failed and at least one answer was denied, throws `AnswerDenied` (the mention fails
    /// with the denial's reason); otherwise a `BotError` listing every failure.
    public func respond(to prompt: Prompt, review: AnswerReview) async throws -> Completion {
        var failures: [String] = []
        var denial: String?
        for responder in responders {
            try Task.checkCancellation()
            guard responder.accepts(prompt) else {
                failures.append("\(responder.name): not used for \(prompt.platform?.rawValue ?? "this prompt")")
                continue
            }
            do {
                let completion = try await responder.respond(to: prompt, review: review)
                if completion.text.trimmingWhitespace().isEmpty {
                    failures.append("\(responder.name): empty answer")
                    continue
                }
                return completion
            } catch let denied as AnswerDenied {
                denial = denial ?? denied.reason
                failures.append(contentsOf: denied.details)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures.append("\(responder.name): \(error)")
            }
        }
        if let denial { throw AnswerDenied(reason: denial, details: failures) }
        throw BotError(.responder, failures.isEmpty ? "no responder configured" : failures.joined(separator: "; "))
    }
}
