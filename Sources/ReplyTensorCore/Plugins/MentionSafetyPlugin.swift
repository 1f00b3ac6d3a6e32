import Foundation

/// Defuses model output: no mass mentions (`@everyone`, `@here`, `@channel`, `@all`), no role or user pings in
/// Discord markup, no control or bidirectional-override characters. Adapters also send with mentions disabled where
/// the platform allows it; this is the second belt.
public struct MentionSafetyPlugin: Plugin {
    public let name = "mention-safety"
    public init() {}

    public func shape(reply: String, for message: InboundMessage) -> String { Self.defuse(reply) }

    public static func defuse(_ text: String) -> String {
        var result = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isForbiddenControl($0) }))
        // Every pattern below needs an "@" (most answers have none, and a regex costs its compilation each call).
        guard result.utf8.contains(UInt8(ascii: "@")) else { return result }
        // A word joiner after "@" keeps the text readable and breaks the mention.
        result = result.replacing(/@(everyone|here|channel|all)\b/.ignoresCase()) { match in
            "@\u{2060}" + match.output.1
        }
        result = result.replacing(/<@&\d+>/, with: "@role")
        result = result.replacing(/<@!?\d+>/, with: "@user")
        return result
    }

    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
