import Foundation
import TwitterTLDs

/// How the emulated X reads the text of a post, written independently of the adapter's counter (a scanner here, the
/// adapter ports twitter-text's expressions): twitter-text v3 as X applies it (https://github.com/twitter/twitter-text,
/// conformance/tld_lib.yml for the domains, js/src/regexp/validCashtag.js for cashtags).
/// - URLs: `http(s)://` up to the next space, or a bare ASCII domain ending in one of twitter-text's top-level domains
///   (with an optional `/path`), not glued to a letter, digit, `@`, `$`, `#`, `-`, `_`, `.` or `/` before it; trailing
///   punctuation is not part of it. Each weighs 23.
/// - Weighted length: URLs 23, an emoji grapheme 2, other code points 1 in U+0000–U+10FF, U+2000–U+200D,
///   U+2010–U+201F, U+2032–U+2037 and 2 elsewhere.
/// - Cashtags: `$` at the start or after a space, 1–6 ASCII letters (optionally `.`/`_` and 1–2 more), then the end,
///   whitespace or punctuation.
enum TwitterEmulatorText {
    static let topLevelDomains = Set((TwitterTLDs.generic + TwitterTLDs.country).map { $0.lowercased() })

    /// The scalar offsets of the URLs in `text`.
    static func urls(in text: String) -> [Range<Int>] {
        let s = Array(text.unicodeScalars)
        var result: [Range<Int>] = []
        var position = 0
        while position < s.count {
            let glued = position > 0
                && (isASCIIAlnum(s[position - 1]) || "@$#-_./＠＃".unicodeScalars.contains(s[position - 1]))
            if !glued, let end = url(in: s, at: position) {
                result.append(position..<end)
                position = end
            } else {
                position += 1
            }
        }
        return result
    }

    static func isASCIIAlnum(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }

    /// The end of a URL starting at `start`, or nil.
    static func url(in s: [Unicode.Scalar], at start: Int) -> Int? {
        let lower = String(String.UnicodeScalarView(s[start..<min(s.count, start + 8)])).lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            var end = start + (lower.hasPrefix("https://") ? 8 : 7)
            while end < s.count, s[end].isASCII, !s[end].properties.isWhitespace { end += 1 }
            return trimmed(s, start: start, end: end)
        }
        // A bare domain: labels of ASCII letters, digits, `-` and `_` joined by dots, the last one a known domain.
        var end = start
        var labelStart = start
        var domainEnd: Int?
        while end < s.count {
            if isASCIIAlnum(s[end]) || s[end] == "-" || s[end] == "_" {
                end += 1
                let label = String(String.UnicodeScalarView(s[labelStart..<end])).lowercased()
                let after = end < s.count ? s[end] : " "
                if labelStart > start, topLevelDomains.contains(label),
                   !(isASCIIAlnum(after) || "@+-_".unicodeScalars.contains(after)) {
                    domainEnd = end
                }
            } else if s[end] == ".", end > labelStart {
                end += 1
                labelStart = end
            } else {
                break
            }
        }
        guard let host = domainEnd else { return nil }
        guard host < s.count, s[host] == "/" else { return host }
        var path = host
        while path < s.count, s[path].isASCII, !s[path].properties.isWhitespace { path += 1 }
        return trimmed(s, start: host, end: path)
    }

    /// `end` moved back over trailing punctuation (a closing parenthesis stays when the URL opened one).
    static func trimmed(_ s: [Unicode.Scalar], start: Int, end: Int) -> Int {
        var end = end
        while end > start + 1 {
            let last = s[end - 1]
            if last == ")" && s[start..<end].contains("(") { break }
            guard ".,;:!?)'\"".unicodeScalars.contains(last) else { break }
            end -= 1
        }
        return end
    }

    /// X's weighted length of `text`.
    static func measure(_ text: String) -> Int {
        let normalized = text.precomposedStringWithCanonicalMapping
        let links = urls(in: normalized)
        var total = 23 * links.count
        var offset = 0
        for character in normalized {
            let count = character.unicodeScalars.count
            defer { offset += count }
            if links.contains(where: { $0.contains(offset) }) { continue }
            let scalars = character.unicodeScalars
            if let first = scalars.first,
               first.properties.isEmojiPresentation || (scalars.count > 1 && first.properties.isEmoji) {
                total += 2
                continue
            }
            for scalar in scalars {
                let v = scalar.value
                let light = v <= 4351 || (8192...8205).contains(v) || (8208...8223).contains(v)
                    || (8242...8247).contains(v)
                total += light ? 1 : 2
            }
        }
        return total
    }

    /// `validCashtag.js` as an ICU expression (a constant: it compiles, or every test fails).
    static let cashtag = try! NSRegularExpression(
        pattern: #"(?:^|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])"#
            + #"\$[A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?(?=\z|\s|[!'#%\&()*+,\\\-./:;<=>?@\[\]\^_\{|\}~\$])"#)

    /// How many cashtags X finds in `text`.
    static func cashtags(in text: String) -> Int {
        cashtag.numberOfMatches(in: text, range: NSRange(location: 0, length: text.utf16.count))
    }

    /// What X shows as a long post's `text`: its longest start of at most 280 weighted characters.
    static func truncated(_ text: String) -> String {
        var result = ""
        for character in text {
            guard measure(result + String(character)) <= 280 else { break }
            result.append(character)
        }
        return result
    }
}
