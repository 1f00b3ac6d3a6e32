/// A responder used only for prompts from some platforms (`[responder.subnet] platforms = ["twitter"]`): the prompts
/// of other platforms (Telegram DMs, say) never reach it, and the chain asks the next responder. A prompt that names
/// no platform (`replytensor ask`) is accepted.
public struct PlatformScopedResponder: Responder {
    public let base: any Responder
    public let platforms: Set<Platform>
    public var name: String { base.name }

    public init(_ base: any Responder, platforms: Set<Platform>) {
        self.base = base
        self.platforms = platforms
    }

    public func accepts(_ prompt: Prompt) -> Bool {
        guard let platform = prompt.platform else { return base.accepts(prompt) }
        return platforms.contains(platform) && base.accepts(prompt)
    }

    public func respond(to prompt: Prompt) async throws -> Completion {
        guard accepts(prompt) else {
            throw BotError(.responder, "\(name) is not used for \(prompt.platform?.rawValue ?? "this prompt") "
                + "(only for \(platforms.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        return try await base.respond(to: prompt)
    }
}
