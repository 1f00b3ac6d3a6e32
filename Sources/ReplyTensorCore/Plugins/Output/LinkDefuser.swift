import Foundation

/// Makes links unclickable and keeps them readable, the way security write-ups "defang" them:
/// - `http://`, `https://` (also spaced out, `h t t p s ://`) → `hxxp://`, `hxxps://`: Discord links only text that
///   starts with a web scheme, and tdlib's `match_urls` refuses a URL whose scheme is not http(s), ftp or tonsite.
/// - any other `scheme://` (`tg://`, `ftp://`, `ton://`) → `scheme[:]//`.
/// - the dots of anything shaped like a domain name → `[.]`: `example[.]com`, `xn--80ak6aa92e[.]com`,
///   `пример[.]рф`, `bob@example[.]com`. X (twitter-text `validDomain`) and Telegram (tdlib `match_urls` with its
///   TLD list) link bare domains; `[` is neither a twitter-text domain character (`invalidDomainChars` holds the
///   punctuation) nor a tdlib one (`is_domain_symbol`), so the name is no longer a domain to either.
/// - the dots of a dotted-quad IPv4 address.
///
/// "Shaped like a domain name": labels of letters, digits, `-` and `_` joined by dots, ending in a label of two or
/// more letters (any script) or a punycode label (`xn--…`). Words ending in a common file extension that is no
/// top-level domain (`Node.js`, `config.toml`, `index.html`) are left alone; everything else that could be a
/// top-level domain is defused, new ones included, since a link the policy misses is worse than a harmless
/// `torch[.]nn`. Whether a listed extension is no TLD is checked against twitter-text's TLD lists in the tests.
enum LinkDefuser {
    /// Extensions people write after a dot that are not top-level domains (none is in IANA's root zone).
    static let fileExtensions: Set<String> = [
        "js", "mjs", "cjs", "jsx", "ts", "tsx", "json", "jsonl", "yaml", "yml", "toml", "ini", "cfg", "conf", "txt",
        "html", "htm", "css", "scss", "xml", "csv", "tsv", "sql", "db", "sqlite", "log", "lock", "swift", "kt", "kts",
        "cpp", "hpp", "cs", "php", "rb", "go", "lua", "dart", "vue", "ipynb", "pyc", "rst", "mdx", "pdf", "png",
        "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "wav", "ogg", "exe", "dll", "dylib", "tar", "gz", "tgz",
        "xz", "rar", "whl", "deb", "rpm", "dmg", "iso", "apk", "ipa", "jar", "env", "bak", "tmp", "nn",
    ]

    private static let webScheme = TextPattern(
        constant: #"(?<![\p{L}\p{N}])h[ \t]?t[ \t]?t[ \t]?p([ \t]?s)?[ \t]*:[ \t]*/[ \t]*/"#, caseInsensitive: true)
    private static let otherScheme = TextPattern(
        constant: #"(?<![\p{L}\p{N}+.\-])([a-z][a-z0-9+.\-]{0,31})[ \t]*:[ \t]*//"#, caseInsensitive: true)
    private static let domain = TextPattern(
        constant: #"(?<![\p{L}\p{N}\p{M}_\-.])(?:[\p{L}\p{N}\p{M}_\-]+\.)+([\p{L}\p{M}]{2,63}|xn--[a-z0-9\-]{1,59})(?![\p{L}\p{N}\p{M}_\-])"#,
        caseInsensitive: true)
    private static let ipv4 = TextPattern(
        constant: #"(?<![\p{N}.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\p{N}]|\.\p{N})"#)

    /// `text` defused. `precheck: false` runs every pattern whatever `candidates` says (for the tests).
    static func defuse(_ text: String, precheck: Bool = true) -> String {
        let (schemes, dotted) = precheck ? candidates(in: text) : (true, true)
        guard schemes || dotted else { return text }
        var result = text
        if schemes { result = schemeDefused(result) }
        guard dotted else { return result }
        result = domain.replacing(in: result) { groups in
            guard let whole = groups[0], let tld = groups[1], !fileExtensions.contains(tld.lowercased()) else {
                return nil
            }
            return whole.replacingOccurrences(of: ".", with: "[.]")
        }
        return ipv4.replacing(in: result) { groups in groups[0]?.replacingOccurrences(of: ".", with: "[.]") }
    }

    /// What the patterns could find in `text`, from characters every match needs: a scheme needs `:` then `/`;
    /// a domain name or an address a `.` between a letter, digit, mark, `_` or `-` and a letter, digit or mark.
    /// Most answers have neither, and then no regular expression runs (nor is ICU's engine loaded).
    static func candidates(in text: String) -> (schemes: Bool, dotted: Bool) {
        var colon = false
        var schemes = false
        var dotted = false
        var previous: Unicode.Scalar?
        var afterDot: Unicode.Scalar?  // the scalar before a `.` just seen
        var sawDot = false
        for scalar in text.unicodeScalars {
            if sawDot, let before = afterDot, isLabel(before), isLabel(scalar), scalar != "_", scalar != "-" {
                dotted = true
            }
            sawDot = scalar == "."
            afterDot = sawDot ? previous : nil
            if scalar == ":" { colon = true } else if colon, scalar == "/" { schemes = true }
            if schemes && dotted { break }
            previous = scalar
        }
        return (schemes, dotted)
    }

    private static func isLabel(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" || scalar == "-" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
             .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    private static func schemeDefused(_ text: String) -> String {
        let result = webScheme.replacing(in: text) { groups in groups[1] == nil ? "hxxp://" : "hxxps://" }
        return otherScheme.replacing(in: result) { groups in
            guard let scheme = groups[1], !["hxxp", "hxxps"].contains(scheme.lowercased()) else { return nil }
            return scheme + "[:]//"
        }
    }
}
