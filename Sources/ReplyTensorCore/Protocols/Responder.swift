/// Produces an answer to a prompt: the subnet, a gateway, a local deterministic responder.
public protocol Responder: Sendable {
    /// The name used in `responder.order` and in transcripts.
    var name: String { get }
    /// Whether this responder may be asked `prompt` at all (e.g. `[responder.subnet] platforms` keeps DMs off the
    /// subnet); a `ResponderChain` skips it otherwise. Every prompt by default.
    func accepts(_ prompt: Prompt) -> Bool
    func respond(to prompt: Prompt) async throws -> Completion
}

extension Responder {
    public func accepts(_ prompt: Prompt) -> Bool { true }
}
