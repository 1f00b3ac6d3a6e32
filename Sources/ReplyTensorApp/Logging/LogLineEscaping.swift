/// Makes a value taken from input (a username, an id, a message text) safe inside one line of a text log: nobody can
/// start a forged line with a newline, rewrite the terminal with an escape sequence or reorder text with bidi controls.
/// Newlines, tabs and returns become `\n`, `\t`, `\r`; every other control character, the Unicode line and paragraph
/// separators and the bidi controls become `\u{1B}`-style escapes; a backslash becomes `\\`, so an escape in the log
/// always means one in the input.
public enum LogLineEscaping {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result.append(contentsOf: #"\\"#.unicodeScalars)
            case "\n": result.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": result.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": result.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where needsEscape(scalar):
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x5C: return true                       // backslash, so escapes stay unambiguous
        case 0x00...0x1F, 0x7F...0x9F: return true   // C0, DEL, C1 (NEL included)
        case 0x2028, 0x2029: return true             // line and paragraph separators
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi marks, embeddings, isolates
        default: return false
        }
    }
}
