import Foundation

/// One turn of the conversation handed to a responder.
public struct ConversationTurn: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Codable { case system, user, assistant }
    public var role: Role
    public var text: String
    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }
}

/// What a responder is asked: persona, conversation (oldest first, the mention last) and limits.
public struct Prompt: Sendable, Hashable {
    public var persona: String
    public var turns: [ConversationTurn]
    /// A hint for the answer's size, in characters.
    public var maxCharacters: Int
    /// The platform the answer goes to (responders may mention it to the model).
    public var platform: Platform?

    public init(persona: String, turns: [ConversationTurn], maxCharacters: Int = 4000, platform: Platform? = nil) {
        self.persona = persona
        self.turns = turns
        self.maxCharacters = maxCharacters
        self.platform = platform
    }

    /// The last user message: what is being answered.
    public var question: String { turns.last(where: { $0.role == .user })?.text ?? "" }
}

/// A responder's answer.
public struct Completion: Sendable, Hashable {
    public var text: String
    /// Which backend answered: `gateway`, `subnet`, `local`.
    public var backend: String
    /// Who within the backend: a model name, a miner `uid 5 (5F…)`.
    public var source: String
    public var latency: Duration

    public init(text: String, backend: String, source: String = "", latency: Duration = .zero) {
        self.text = text
        self.backend = backend
        self.source = source
        self.latency = latency
    }
}
