/// Puts `bot.persona` in front of every prompt as the system message.
public struct PersonaPlugin: Plugin {
    public let name = "persona"
    public var persona: String

    public init(persona: String) { self.persona = persona }

    public func shape(_ prompt: Prompt, for message: InboundMessage) -> Prompt {
        var shaped = prompt
        shaped.persona = persona
        return shaped
    }
}
