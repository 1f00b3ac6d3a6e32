/// Python's `str()` of the values synapse body hashes cover: a `str` is itself, a `List[str]` is its repr.
public enum PythonRepr {
    /// `str(list_of_strings)`: `['a', "it's"]`.
    public static func list(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ", ") + "]"
    }

    /// `repr(text)` as CPython 3 writes it.
    public static func string(_ text: String) -> String {
        // Decided on scalars: a quote followed by a combining mark is one Character but still a quote for Python.
        let scalars = text.unicodeScalars
        let quote: Character = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if value < 0x20 || value == 0x7f {
                    out += "\\x" + hex(value, width: 2)
                } else if value < 0x7f {
                    out.unicodeScalars.append(scalar)
                } else if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if value <= 0xff {
                    out += "\\x" + hex(value, width: 2)
                } else if value <= 0xffff {
                    out += "\\u" + hex(value, width: 4)
                } else {
                    out += "\\U" + hex(value, width: 8)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// CPython's `str.isprintable` for one non-ASCII character: not in Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
