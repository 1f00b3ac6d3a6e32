/// Finds URLs in a post the way twitter-text does, closely enough for length counting: `http(s)://` URLs and
/// bare domains with a known top-level domain, not glued to a preceding letter, digit, `@`, `$` or `#`, with
/// path and query characters and the ending rules of twitter-text (trailing punctuation is not part of a URL).
enum URLFinder {
    static let genericTLDs: Set<String> = [
        "com", "net", "org", "edu", "gov", "info", "biz", "io", "ai", "app", "dev", "xyz", "online", "site", "tech",
        "blog", "news", "shop", "store", "cloud", "page", "link", "live", "art", "club", "me", "tv", "co", "social",
    ]

    /// The ranges of the URLs in `text`, in order.
    static func ranges(in text: String) -> [Range<String.Index>] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(".") else { return [] }
        var indices: [String.Index] = []
        var cursor = text.unicodeScalars.startIndex
        for _ in scalars { indices.append(cursor); cursor = text.unicodeScalars.index(after: cursor) }
        indices.append(text.unicodeScalars.endIndex)
        var result: [Range<String.Index>] = []
        var position = 0
        while position < scalars.count {
            if let end = match(scalars, at: position) {
                let lower = indices[position]
                let upper = indices[end]
                // Keep to grapheme boundaries so the counter can step over the range.
                result.append(lower..<upper)
                position = end
            } else {
                position += 1
            }
        }
        return result.filter { $0.lowerBound.samePosition(in: text) != nil && $0.upperBound.samePosition(in: text) != nil }
    }

    static func isASCIIAlnum(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    /// The end of a URL starting at `start`, or nil.
    static func match(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        if start > 0 {
            let before = s[start - 1]
            if isASCIIAlnum(before) || "@＠$#＃".unicodeScalars.contains(before) { return nil }
        }
        var position = start
        var hasProtocol = false
        for prefix in ["https://", "http://"] {
            let p = Array(prefix.unicodeScalars)
            if start + p.count <= s.count, zip(s[start..<(start + p.count)], p).allSatisfy({ lower($0) == $1 }) {
                position = start + p.count
                hasProtocol = true
                break
            }
        }
        if !hasProtocol, start > 0, "-_./".unicodeScalars.contains(s[start - 1]) { return nil }
        // Domain: labels of letters, digits, '-' and '_' separated by dots; the last label a known TLD.
        var labels: [String] = []
        var label = ""
        var end = position
        var lastGoodEnd: Int?
        while end < s.count {
            let scalar = s[end]
            if isASCIIAlnum(scalar) || scalar == "-" || scalar == "_" {
                label.unicodeScalars.append(lower(scalar))
                end += 1
                if labels.count >= 1, isTLD(label), end == s.count || !(isASCIIAlnum(s[end]) || s[end] == "-" || s[end] == "_" || s[end] == "@") {
                    lastGoodEnd = end
                }
            } else if scalar == ".", !label.isEmpty {
                labels.append(label)
                label = ""
                end += 1
            } else {
                break
            }
        }
        guard var cursor = lastGoodEnd else { return nil }
        // Port.
        if cursor < s.count, s[cursor] == ":", hasProtocol {
            var digits = cursor + 1
            while digits < s.count, ("0"..."9").contains(s[digits]) { digits += 1 }
            if digits > cursor + 1 { cursor = digits }
        }
        // Path.
        if cursor < s.count, s[cursor] == "/" {
            var scan = cursor + 1
            var lastEnding = cursor + 1
            var depth = 0
            while scan < s.count {
                let scalar = s[scan]
                if scalar == "(" { depth += 1 } else if scalar == ")" {
                    if depth == 0 { break }
                    depth -= 1
                    scan += 1
                    lastEnding = scan
                    continue
                }
                guard isPathChar(scalar) else { break }
                scan += 1
                if isPathEnding(scalar) { lastEnding = scan }
            }
            cursor = lastEnding
        }
        // Query.
        if cursor < s.count, s[cursor] == "?" {
            var scan = cursor + 1
            var lastEnding: Int?
            while scan < s.count, isQueryChar(s[scan]) {
                if isQueryEnding(s[scan]) { lastEnding = scan + 1 }
                scan += 1
            }
            if let lastEnding { cursor = lastEnding }
        }
        return cursor
    }

    static func isTLD(_ label: String) -> Bool {
        if genericTLDs.contains(label) { return true }
        return label.unicodeScalars.count == 2 && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
    }

    static func isLetterLike(_ scalar: Unicode.Scalar) -> Bool {
        // Latin accents and Cyrillic, as twitter-text allows in paths.
        (0xC0...0x24F).contains(scalar.value) && scalar.value != 0xD7 && scalar.value != 0xF7
            || (0x400...0x4FF).contains(scalar.value)
    }

    static func isPathChar(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlnum(scalar) || isLetterLike(scalar) || "!*';:=+,.$/%#[]-_~&|@\u{2013}".unicodeScalars.contains(scalar)
    }

    static func isPathEnding(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlnum(scalar) || isLetterLike(scalar) || "+-=_#/".unicodeScalars.contains(scalar)
    }

    static func isQueryChar(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlnum(scalar) || "!?*'@();:&=+$/%#[]-_.,~|".unicodeScalars.contains(scalar)
    }

    static func isQueryEnding(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlnum(scalar) || "-_&=#/".unicodeScalars.contains(scalar)
    }
}
