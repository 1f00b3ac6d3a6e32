import Foundation

/// Finds URLs in a post as twitter-text v3 does (`extractUrlsWithIndices`, js/src/extractUrlsWithIndices.js of
/// twitter/twitter-text): `http(s)://` URLs and bare domains ending in one of twitter-text's 1,574 top-level domains
/// (`URLExpressions`), not glued to a preceding letter, digit, `@`, `$` or `#`; without a protocol only the ASCII
/// domains count, and not after `-`, `_`, `.` or `/`; a `t.co` link takes no path; trailing punctuation is not part
/// of a URL. Each URL weighs 23 in X's length and makes a post a "Content: Create (with URL)" on pay-per-use.
///
/// The punycode check of `isValidUrl` is approximated by what `IDN.toASCII` of twitter-text's Java port and Python's
/// `idna` codec refuse: an empty label, an ASCII label over 63 characters, a non-ASCII label that starts with the ACE
/// prefix `xn--` (labels compared after the compatibility mapping of nameprep).
public enum URLFinder {
    static let defaultProtocol = "https://"
    static let maxURLLength = 4096
    static let maxTcoSlugLength = 40

    /// The ranges of the URLs in `text`, in order.
    public static func ranges(in text: String) -> [Range<String.Index>] {
        guard text.contains(".") else { return [] }
        let utf16 = text.utf16
        var result: [Range<Int>] = []
        for match in URLExpressions.extractUrl.matches(in: text, range: text.wholeRange) {
            guard let url = text.group(3, of: match), let domain = text.group(5, of: match) else { continue }
            let protocolPart = text.group(4, of: match)
            let end = match.range.location + match.range.length
            let start = end - url.utf16.count
            guard isValid(url: url, protocolPart: protocolPart ?? defaultProtocol, domain: domain) else { continue }
            if protocolPart == nil {
                if let before = text.group(2, of: match)?.unicodeScalars.last, "-_./".unicodeScalars.contains(before) {
                    continue
                }
                // `validAsciiDomain` runs over the domain alone (its end is an end of input for the TLD lookahead).
                let offset = match.range(at: 5).location
                let domains = URLExpressions.validAsciiDomain.matches(in: domain, range: domain.wholeRange)
                guard let last = domains.last else { continue }
                for ascii in domains.dropLast() {
                    let location = offset + ascii.range.location
                    result.append(location..<(location + ascii.range.length))
                }
                // With a path, the last domain's URL runs to the end of the match.
                let lastStart = offset + last.range.location
                let hasPath = match.range(at: 7).location != NSNotFound
                result.append(lastStart..<(hasPath ? end : lastStart + last.range.length))
            } else if let tco = URLExpressions.validTcoUrl.firstMatch(in: url, range: url.wholeRange) {
                if tco.range(at: 1).length > maxTcoSlugLength { continue }
                result.append(start..<(start + tco.range.length))
            } else {
                result.append(start..<end)
            }
        }
        return result.compactMap { range in
            guard let lower = utf16.index(utf16.startIndex, offsetBy: range.lowerBound, limitedBy: utf16.endIndex),
                  let upper = utf16.index(utf16.startIndex, offsetBy: range.upperBound, limitedBy: utf16.endIndex),
                  lower.samePosition(in: text.unicodeScalars) != nil, upper.samePosition(in: text.unicodeScalars) != nil
            else { return nil }
            return lower..<upper
        }
    }

    /// `isValidUrl`: the host converts to ASCII and the URL with its protocol is at most 4,096 characters long.
    static func isValid(url: String, protocolPart: String, domain: String) -> Bool {
        // Labels split at every "." scalar (a combining mark after a dot makes one grapheme with it).
        let labels = domain.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !labels.isEmpty, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        for label in labels {
            // Nameprep maps compatibility characters first (NFKC: "…" becomes "..."), then checks.
            let mapped = label.unicodeScalars.allSatisfy(\.isASCII) ? label
                : label.precomposedStringWithCompatibilityMapping
            if mapped.unicodeScalars.allSatisfy(\.isASCII) {
                guard mapped.utf16.count <= 63 else { return false }
            } else if mapped.lowercased().hasPrefix("xn--") {
                return false
            }
        }
        return protocolPart.utf16.count + url.utf16.count <= maxURLLength
    }
}

extension String {
    /// The whole string as an `NSRange` (UTF-16).
    var wholeRange: NSRange { NSRange(location: 0, length: utf16.count) }

    /// The text of capture group `index` of `match`, nil when the group did not take part. (Its bounds are scalar
    /// boundaries but may fall inside a grapheme: a combining mark after a domain is not part of it.)
    func group(_ index: Int, of match: NSTextCheckingResult) -> String? {
        let range = match.range(at: index)
        guard range.location != NSNotFound,
              let lower = utf16.index(utf16.startIndex, offsetBy: range.location, limitedBy: utf16.endIndex),
              let upper = utf16.index(lower, offsetBy: range.length, limitedBy: utf16.endIndex) else { return nil }
        return String(unicodeScalars[lower..<upper])
    }
}
