import Foundation
import Synchronization

/// The deterministic answers of the sandbox's responders (the local miners and the gateway emulator), and what
/// they were asked. A scenario may replace the answer for some questions; every answer carries its backend's label.
public final class SandboxAnswers: Sendable {
    /// A scenario's answer for a question, or nil for the default echo.
    typealias Override = @Sendable (_ question: String) -> String?

    private struct State {
        var override: Override = { _ in nil }
        var prompts: [[String]] = []
    }

    private let state = Mutex(State())

    func setOverride(_ override: @escaping Override) { state.withLock { $0.override = override } }

    /// Puts `override` in front of the current one: a part of a scenario adds answers for its own questions.
    func addOverride(_ override: @escaping Override) {
        state.withLock { state in
            let previous = state.override
            state.override = { question in override(question) ?? previous(question) }
        }
    }

    /// The answer a responder labelled `label` gives to `messages` (the last one is the question).
    func answer(_ messages: [String], label: String) -> String {
        let question = messages.last ?? ""
        let override = state.withLock { state in
            state.prompts.append(messages)
            return state.override
        }
        return "[\(label)] " + (override(question) ?? "You said: \(question)")
    }

    /// How many prompts reached a responder (every miner queried counts).
    var count: Int { state.withLock { $0.prompts.count } }
    /// Whether any responder was asked a question matching `matches`.
    func wasAsked(_ matches: (String) -> Bool) -> Bool {
        state.withLock { $0.prompts.contains { matches($0.last ?? "") } }
    }
    /// The messages of the latest prompt whose question contains `question`.
    func prompt(asking question: String) -> [String] {
        state.withLock { $0.prompts.last { ($0.last ?? "").contains(question) } ?? [] }
    }
}
