/// Fits an answer to a platform's length rule: split into parts at paragraph, then sentence, then word
/// boundaries (never inside a grapheme, so never inside a surrogate pair), or truncate with an ellipsis.
public enum ReplyFitter {
    public static let ellipsis = "…"

    /// The parts to send. Never more than `maxParts`; the last allowed part is truncated when the text is longer.
    public static func fit(_ text: String, rule: LengthRule, overflow: PlatformRules.Overflow, maxParts: Int) -> [String] {
        let text = text.trimmingWhitespace()
        guard !text.isEmpty else { return [] }
        if rule.measure(text) <= rule.limit { return [text] }
        switch overflow {
        case .truncate:
            return [truncate(text, rule: rule)]
        case .split:
            return split(text, rule: rule, maxParts: max(1, maxParts))
        }
    }

    /// The longest start of `text` that fits with an ellipsis, cut at a word boundary when one is near.
    public static func truncate(_ text: String, rule: LengthRule) -> String {
        if rule.measure(text) <= rule.limit { return text }
        let budget = LengthRule(limit: rule.limit - rule.measure(ellipsis), unit: rule.unit, measure: rule.measure)
        let cut = breakPoint(in: Substring(text), rule: budget, preferring: [.word])
        return String(text[..<cut]).trimmingWhitespace() + ellipsis
    }

    static func split(_ text: String, rule: LengthRule, maxParts: Int) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rule.measure(String(rest)) <= rule.limit {
                parts.append(String(rest).trimmingWhitespace())
                break
            }
            if parts.count == maxParts - 1 {
                parts.append(truncate(String(rest), rule: rule))
                break
            }
            let cut = breakPoint(in: rest, rule: rule, preferring: [.paragraph, .sentence, .word])
            parts.append(String(rest[..<cut]).trimmingWhitespace())
            rest = rest[cut...].drop(while: { $0.isWhitespace })
        }
        return parts.filter { !$0.isEmpty }
    }

    enum Boundary { case paragraph, sentence, word }

    /// Where to cut `text` so the first piece fits: the last preferred boundary in the fitting prefix (if it keeps
    /// at least a third of it), else the end of the fitting prefix (a grapheme boundary).
    static func breakPoint(in text: Substring, rule: LengthRule, preferring boundaries: [Boundary]) -> String.Index {
        let fitting = longestFittingPrefix(text, rule: rule)
        guard fitting > text.startIndex else {
            // Not even one grapheme fits: take one anyway so progress is made.
            return text.index(after: text.startIndex)
        }
        let prefix = text[..<fitting]
        let minimum = prefix.count / 3
        let rest = text[fitting...]
        for boundary in boundaries {
            // The end of the fitting prefix may itself be the boundary.
            switch boundary {
            case .paragraph where rest.hasPrefix("\n\n"),
                 .word where rest.first?.isWhitespace ?? true:
                return fitting
            case .sentence where (rest.first?.isWhitespace ?? true) && ".!?…。".contains(prefix.last ?? " "):
                return fitting
            default:
                break
            }
            if let cut = lastBoundary(boundary, in: prefix), prefix.distance(from: prefix.startIndex, to: cut) >= minimum {
                return cut
            }
        }
        return fitting
    }

    /// The end index of the longest grapheme-aligned prefix that fits (binary search over graphemes).
    static func longestFittingPrefix(_ text: Substring, rule: LengthRule) -> String.Index {
        var low = 0
        var high = text.count
        while low < high {
            let mid = (low + high + 1) / 2
            let end = text.index(text.startIndex, offsetBy: mid)
            if rule.measure(String(text[..<end])) <= rule.limit { low = mid } else { high = mid - 1 }
        }
        return text.index(text.startIndex, offsetBy: low)
    }

    static func lastBoundary(_ boundary: Boundary, in text: Substring) -> String.Index? {
        var index = text.endIndex
        while index > text.startIndex {
            let previous = text.index(before: index)
            let character = text[previous]
            switch boundary {
            case .paragraph:
                if character == "\n", previous > text.startIndex, text[text.index(before: previous)] == "\n" {
                    return index
                }
            case .sentence:
                if character.isWhitespace, previous > text.startIndex {
                    let before = text[text.index(before: previous)]
                    if before == "." || before == "!" || before == "?" || before == "…" || before == "。" { return index }
                }
                if character == "\n" { return index }
            case .word:
                if character.isWhitespace { return index }
            }
            index = previous
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
