/// Produces an answer to a prompt: the subnet, a gateway, a local deterministic responder.
public protocol Responder: Sendable {
    /// The name used in `responder.order` and in transcripts.
    var name: String { get }
    func respond(to prompt: Prompt) async throws -> Completion
}
