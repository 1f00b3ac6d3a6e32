/// Tries responders in order (`responder.order`) and returns the first answer. A responder that does not accept the
/// prompt (its `platforms` do not include the prompt's) is skipped without being asked.
public struct ResponderChain: Responder {
    public let responders: [any Responder]
    public var name: String { responders.map(\.name).joined(separator: "→") }
    public func accepts(_ prompt: Prompt) -> Bool { responders.contains { $0.accepts(prompt) } }

    public init(_ responders: [any Responder]) { self.responders = responders }

    public func respond(to prompt: Prompt) async throws -> Completion {
        var failures: [String] = []
        for responder in responders {
            try Task.checkCancellation()
            guard responder.accepts(prompt) else {
                failures.append("\(responder.name): not used for \(prompt.platform?.rawValue ?? "this prompt")")
                continue
            }
            do {
                let completion = try await responder.respond(to: prompt)
                if completion.text.trimmingWhitespace().isEmpty {
                    failures.append("\(responder.name): empty answer")
                    continue
                }
                return completion
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures.append("\(responder.name): \(error)")
            }
        }
        throw BotError(.responder, failures.isEmpty ? "no responder configured" : failures.joined(separator: "; "))
    }
}
