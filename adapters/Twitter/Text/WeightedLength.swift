import Foundation
import ReplyTensorCore

/// The weighted length of a post as X counts it (twitter-text configuration v3).
///
/// The text is NFC-normalised and line endings become `\n`. Every URL counts 23. An emoji (a whole sequence:
/// ZWJ, skin tones, keycaps, flags) counts 2. Any other code point counts 1 in U+0000–U+10FF, U+2000–U+200D,
/// U+2010–U+201F and U+2032–U+2037, and 2 elsewhere. The limit is 280.
public enum WeightedLength {
    public static let limit = 280
    public static let urlWeight = 23

    static let lightRanges: [ClosedRange<UInt32>] = [0...4351, 8192...8205, 8208...8223, 8242...8247]

    /// The length rule for the engine's fitter.
    public static var rule: LengthRule {
        LengthRule(limit: limit, unit: "weighted characters (twitter-text v3)") { measure($0) }
    }

    /// The weighted length of `text`.
    public static func measure(_ text: String) -> Int {
        let normalized = normalize(text)
        let urls = URLFinder.ranges(in: normalized)
        var total = 0
        var index = normalized.startIndex
        var nextURL = urls.makeIterator()
        var pending = nextURL.next()
        while index < normalized.endIndex {
            if let url = pending, url.lowerBound <= index {
                total += urlWeight
                index = max(index, url.upperBound)
                pending = nextURL.next()
                continue
            }
            // A URL may end inside what Swift sees as one grapheme (a combining mark after it): the rest of that
            // grapheme counts scalar by scalar, as twitter-text counts code points.
            guard index.samePosition(in: normalized) != nil else {
                total += weight(of: normalized.unicodeScalars[index])
                index = normalized.unicodeScalars.index(after: index)
                continue
            }
            let character = normalized[index]
            let next = normalized.index(after: index)
            // Likewise a URL may start inside a grapheme: count the scalars before it.
            if let url = pending, url.lowerBound < next {
                for scalar in normalized.unicodeScalars[index..<url.lowerBound] { total += weight(of: scalar) }
                index = url.lowerBound
                continue
            }
            if isEmoji(character) {
                total += 2
            } else {
                for scalar in character.unicodeScalars { total += weight(of: scalar) }
            }
            index = next
        }
        return total
    }

    /// NFC with `\r\n` and `\r` as `\n`.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }

    static func weight(of scalar: Unicode.Scalar) -> Int {
        lightRanges.contains { $0.contains(scalar.value) } ? 1 : 2
    }

    /// True for an emoji grapheme: a pictograph with emoji presentation, any emoji sequence (variation selector,
    /// skin tone, ZWJ, keycap, flag), or a text-style emoji character other than the keycap bases `0-9 # *`.
    static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return false }
        let properties = first.properties
        if (0x1F1E6...0x1F1FF).contains(first.value) { return scalars.count == 2 }
        guard properties.isEmoji else { return false }
        if scalars.count > 1 {
            return scalars.dropFirst().contains { scalar in
                scalar.value == 0xFE0F || scalar.value == 0x200D || scalar.value == 0x20E3
                    || scalar.properties.isEmojiModifier || (0xE0020...0xE007F).contains(scalar.value)
            } || properties.isEmojiPresentation
        }
        if first.isASCII { return false }
        return true
    }
}

