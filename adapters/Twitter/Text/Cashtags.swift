/// Cashtags as twitter-text extracts them (js/src/extractCashtagsWithIndices.js and js/src/regexp/validCashtag.js of
/// twitter/twitter-text): `$` at the start of the text or after a space character (`spacesGroup`), then 1–6 ASCII
/// letters, optionally `.` or `_` and 1–2 more letters, followed by the end of the text, whitespace or one of
/// twitter-text's `punct` characters. Like the regular expression it backtracks: `$AB.CDE` yields `$AB`, `$ABCDEFG`
/// nothing; matches do not overlap (`$A$B` is one cashtag).
///
/// Self-serve X accepts at most one cashtag per post ("Posts created via the API are limited to a maximum of 1
/// cashtag per post", docs.x.com/x-api/posts/manage-tweets/introduction; a second one is refused with 403 "Posts are
/// limited to a maximum of one cashtag"). `keepingFirst` keeps the first and defuses the others.
public enum Cashtags {
    /// The joiner put after the `$` of a defused cashtag: U+200D ZERO WIDTH JOINER, invisible, weight 1.
    public static let defuser: Unicode.Scalar = "\u{200D}"

    /// `spacesGroup` (js/src/regexp/spacesGroup.js): what may stand before the `$`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// JavaScript's `\s`, as the lookahead after a cashtag sees it.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// `punct` (js/src/regexp/punct.js).
    static let punctuation = Set("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$".unicodeScalars)

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
    }

    /// The ranges of the cashtags in `text` (each from its `$`), in order.
    public static func ranges(in text: String) -> [Range<String.Index>] {
        let view = text.unicodeScalars
        var indices = Array(view.indices)
        indices.append(view.endIndex)
        return offsets(in: Array(view)).map { indices[$0.lowerBound]..<indices[$0.upperBound] }
    }

    /// `text` with its first cashtag kept and a `defuser` after the `$` of every later one, so twitter-text (and X)
    /// find one cashtag at most.
    public static func keepingFirst(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let found = offsets(in: scalars)
        guard found.count > 1 else { return text }
        var result = String.UnicodeScalarView()
        var position = 0
        for tag in found.dropFirst() {
            result.append(contentsOf: scalars[position...tag.lowerBound])
            result.append(defuser)
            position = tag.lowerBound + 1
        }
        result.append(contentsOf: scalars[position...])
        return String(result)
    }

    /// The scalar offsets of the cashtags (from the `$`), as the global regular expression finds them.
    static func offsets(in s: [Unicode.Scalar]) -> [Range<Int>] {
        guard s.contains("$") else { return [] }
        var result: [Range<Int>] = []
        var position = 0
        while position < s.count {
            // `(^|#{spaces})(\$)`: the start of the text is tried before a space; the match goes on after the tag.
            var match: Range<Int>?
            if position == 0, s[0] == "$", let end = tag(in: s, from: 1) {
                match = 0..<end
            } else if isSpace(s[position]), position + 1 < s.count, s[position + 1] == "$",
                      let end = tag(in: s, from: position + 2) {
                match = (position + 1)..<end
            }
            if let match {
                result.append(match)
                position = match.upperBound
            } else {
                position += 1
            }
        }
        return result
    }

    /// The end of `cashtag` (`[a-z]{1,6}(?:[._][a-z]{1,2})?`) starting at `start` with the lookahead
    /// `(?=$|\s|[#{punct}])` holding, trying the alternatives in the regular expression's order; nil when none does.
    static func tag(in s: [Unicode.Scalar], from start: Int) -> Int? {
        var letters = 0
        while letters < 6, start + letters < s.count, isLetter(s[start + letters]) { letters += 1 }
        func allows(_ end: Int) -> Bool {
            end == s.count || isWhitespace(s[end]) || punctuation.contains(s[end])
        }
        for count in stride(from: letters, through: 1, by: -1) {
            let afterLetters = start + count
            if afterLetters < s.count, s[afterLetters] == "." || s[afterLetters] == "_" {
                for extra in [2, 1] {
                    let end = afterLetters + 1 + extra
                    guard end <= s.count, s[(afterLetters + 1)..<end].allSatisfy(isLetter) else { continue }
                    if allows(end) { return end }
                }
            }
            if allows(afterLetters) { return afterLetters }
        }
        return nil
    }
}
