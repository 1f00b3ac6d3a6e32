import Foundation

/// An ICU regular expression (`NSRegularExpression`: the syntax operators know, with look-behind) and a replacement
/// that decides per match.
struct TextPattern: Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool = false) throws {
        regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// A pattern written in this source file: a mistake in it is a programming error that every test of the output
    /// policy would hit at once, never something input can cause.
    init(constant pattern: String, caseInsensitive: Bool = false) {
        do {
            try self.init(pattern, caseInsensitive: caseInsensitive)
        } catch {
            preconditionFailure("invalid built-in pattern \(pattern): \(error)")
        }
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// `text` with each match replaced by what `transform` returns for its groups (group 0 is the whole match; an
    /// absent group is nil); nil leaves the match as it is.
    func replacing(in text: String, _ transform: ([String?]) -> String?) -> String {
        let string = NSString(string: text)
        let found = regex.matches(in: text, range: NSRange(location: 0, length: string.length))
        guard !found.isEmpty else { return text }
        var result = ""
        var cursor = 0
        for match in found {
            result += string.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            let groups = (0..<match.numberOfRanges).map { index -> String? in
                let range = match.range(at: index)
                return range.location == NSNotFound ? nil : string.substring(with: range)
            }
            result += transform(groups) ?? string.substring(with: match.range)
            cursor = match.range.location + match.range.length
        }
        return result + string.substring(from: cursor)
    }
}
