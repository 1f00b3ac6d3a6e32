/// Produces an answer to a prompt: the subnet, a gateway, a local deterministic responder.
public protocol Responder: Sendable {
    /// The name used in `responder.order` and in transcripts.
    var name: String { get }
    /// Whether this responder may be asked `prompt` at all (e.g. `[responder.subnet] platforms` keeps DMs off the
    /// subnet); a `ResponderChain` skips it otherwise. Every prompt by default.
    func accepts(_ prompt: Prompt) -> Bool
    func respond(to prompt: Prompt) async throws -> Completion
    /// An answer that `review` accepts. A denied answer is this responder's failure: it throws `AnswerDenied`.
    /// `ResponderChain` asks its next responder instead.
    func respond(to prompt: Prompt, review: AnswerReview) async throws -> Completion
}

/// Judges an answer's text before it is accepted (the plugins' `review` hooks, in order).
public typealias AnswerReview = @Sendable (String) -> AnswerVerdict

extension Responder {
    public func respond(to prompt: Prompt, review: AnswerReview) async throws -> Completion {
        let completion = try await respond(to: prompt)
        if case .deny(let reason, let detail) = review(completion.text) {
            throw AnswerDenied(reason: reason, details: ["\(name): \(reason) (\(detail))"])
        }
        return completion
    }
}

extension Responder {
    public func accepts(_ prompt: Prompt) -> Bool { true }
}
