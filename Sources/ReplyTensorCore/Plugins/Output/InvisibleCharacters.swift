/// What a reader cannot see but a platform, a client or a filter acts on. `strip` removes control characters (tab
/// and newline stay; CR and the line and paragraph separators become newlines), bidirectional controls (U+061C,
/// U+200E/F, the U+202A–U+202E overrides such as RTL OVERRIDE U+202E, the U+2066–U+2069 isolates), zero-width and
/// other format characters (Unicode category Cf: U+200B, U+2060, U+FEFF, …), invisible fillers (U+115F, U+1160,
/// U+3164, U+FFA0, U+034F, U+17B4/5, U+180B–U+180F), ideographic variation selectors (U+E0100–U+E01EF, a known
/// carrier of hidden text) and the variation selectors U+FE00–U+FE0D.
///
/// Kept where they do work: ZWJ (U+200D) between emoji (👨‍👩‍👧), VS15/VS16 after a character with an emoji form,
/// tag characters in an emoji tag sequence (the flag of England 🏴󠁧󠁢󠁥󠁮󠁧󠁿), and ZWJ/ZWNJ between letters of the
/// Arabic and Indic scripts, whose spelling needs them.
enum InvisibleCharacters {
    /// `text` without the invisible characters; with `strict`, ZWJ and ZWNJ go everywhere (for matching).
    static func strip(_ text: String, strict: Bool = false) -> String {
        let scalars = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "\r" {
                if next != "\n" { kept.append("\n") }
                continue
            }
            if scalar.value == 0x2028 || scalar.value == 0x2029 {
                kept.append("\n")
                continue
            }
            if keeps(scalar, after: kept.last, before: next, strict: strict) { kept.append(scalar) }
        }
        return String(kept)
    }

    static func keeps(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?, before next: Unicode.Scalar?,
                      strict: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return true
        case 0x00...0x1F, 0x7F...0x9F: return false
        case 0x200C: return !strict && joinsLetters(previous, next)
        case 0x200D:
            if strict { return false }
            if let previous, let next, isEmojiPart(previous), next.value > 0x7F, next.properties.isEmoji { return true }
            return joinsLetters(previous, next)
        case 0xFE0E, 0xFE0F: return previous?.properties.isEmoji == true
        case 0xE0020...0xE007F:
            guard let previous else { return false }
            return previous.value == 0x1F3F4 || (0xE0020...0xE007E).contains(previous.value)
        case 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x3164, 0xFE00...0xFE0D, 0xFFA0, 0xFFFE, 0xFFFF,
             0xE0100...0xE01EF:
            return false
        default:
            return scalar.properties.generalCategory != .format
        }
    }

    /// A scalar an emoji ZWJ sequence continues from: an emoji (not ASCII digits, `#`, `*`), a skin-tone modifier, VS16.
    private static func isEmojiPart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value > 0x7F && scalar.properties.isEmoji) || scalar.properties.isEmojiModifier || scalar.value == 0xFE0F
    }

    /// Both neighbours belong to a script whose spelling uses ZWJ/ZWNJ (Arabic, Syriac, Thaana, the Indic scripts).
    private static func joinsLetters(_ previous: Unicode.Scalar?, _ next: Unicode.Scalar?) -> Bool {
        guard let previous, let next else { return false }
        return isJoiningScript(previous) && isJoiningScript(next)
    }

    private static func isJoiningScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0600...0x07BF, 0x0860...0x08FF, 0x0900...0x0DFF, 0xFB50...0xFDFF, 0xFE70...0xFEFC: return true
        default: return false
        }
    }
}
