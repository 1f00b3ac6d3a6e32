import Foundation

/// `[plugins.output] deny_patterns`: regular expressions (ICU syntax, as `NSRegularExpression` takes them;
/// case-insensitive unless the pattern says `(?-i)`) that fail an answer. Each is tried on the answer as written
/// and on its plain form, so that disguises do not get around it: compatibility-normalized (NFKC: full-width and
/// styled letters become plain ones), every invisible character removed, defanged links restored (`example[.]com` →
/// `example.com`, `hxxps` → `https`, `h t t p s ://` → `https://`).
public struct DenyPatterns: Sendable {
    public let sources: [String]
    private let patterns: [TextPattern]

    /// Throws a configuration error naming the first pattern that does not compile.
    public init(_ sources: [String]) throws {
        var patterns: [TextPattern] = []
        for (index, source) in sources.enumerated() {
            do {
                patterns.append(try TextPattern(source, caseInsensitive: true))
            } catch {
                throw BotError(.config, "plugins.output.deny_patterns[\(index)]: not a valid regular expression: \(source)")
            }
        }
        self.sources = sources
        self.patterns = patterns
    }

    private init(sources: [String], patterns: [TextPattern]) {
        self.sources = sources
        self.patterns = patterns
    }

    /// No patterns: nothing is denied.
    public static let none = DenyPatterns(sources: [], patterns: [])

    public var isEmpty: Bool { patterns.isEmpty }

    /// The index of the first pattern that matches `answer` or its plain form.
    public func firstMatch(in answer: String) -> Int? {
        guard !patterns.isEmpty else { return nil }
        let plain = Self.plainForm(answer)
        return patterns.firstIndex { $0.matches(answer) || $0.matches(plain) }
    }

    private static let defangedDot = TextPattern(constant: #"\s?[\[\(\{]\s?(?:\.|dot)\s?[\]\)\}]\s?"#, caseInsensitive: true)
    private static let defangedColon = TextPattern(constant: #"[\[\(\{]:[\]\)\}]"#)
    private static let defangedScheme = TextPattern(constant: #"(?<![\p{L}\p{N}])h(?:xx|tt)p(s?)(?=[\s\[\(\{:])"#,
                                                    caseInsensitive: true)
    private static let spacedScheme = TextPattern(
        constant: #"(?<![\p{L}\p{N}])h[ \t]?t[ \t]?t[ \t]?p([ \t]?s)?[ \t]*:[ \t]*/[ \t]*/"#, caseInsensitive: true)

    /// What the answer says once its disguises are taken off (see the type's documentation).
    public static func plainForm(_ text: String) -> String {
        var plain = InvisibleCharacters.strip(text.precomposedStringWithCompatibilityMapping, strict: true)
        plain = defangedDot.replacing(in: plain) { _ in "." }
        plain = defangedColon.replacing(in: plain) { _ in ":" }
        plain = defangedScheme.replacing(in: plain) { groups in "http" + (groups[1] ?? "") }
        return spacedScheme.replacing(in: plain) { groups in (groups[1] == nil ? "http" : "https") + "://" }
    }
}
