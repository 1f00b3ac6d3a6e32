import Foundation

/// Whether a miner's answer is worth sending: non-empty, not an echo of the prompt, within the length bound.
/// (Invalid UTF-8 never reaches here: the dendrite refuses it.)
public enum AnswerAcceptance {
    public static func reason(toReject answer: String, question: String, maxCharacters: Int) -> String? {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "empty answer" }
        if trimmed.count > maxCharacters { return "answer longer than \(maxCharacters) characters" }
        let normalizedQuestion = question.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if !normalizedQuestion.isEmpty && trimmed.lowercased() == normalizedQuestion { return "answer echoes the prompt" }
        if trimmed.unicodeScalars.contains(where: { $0.value == 0xFFFD }) { return "answer contains replacement characters" }
        return nil
    }
}
