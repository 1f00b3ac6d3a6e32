import Foundation
import TwitterTLDs

/// twitter-text's URL expressions (js/src/regexp/*.js of twitter/twitter-text, commit 30e2430d), written for ICU
/// (`NSRegularExpression`): the same pieces, the same alternation order, the full list of top-level domains
/// (`TwitterTLDs`). Differences from JavaScript kept out of the way: `$` (end of input) is `\z`, and every `$`, `{`, `}`
/// and `&` in a character class is escaped.
enum URLExpressions {
    static let punct = #"!'#%\&()*+,\\\-./:;<=>?@\[\]\^_\{|\}~\$"#
    static let spacesGroup = #"\u0009-\u000D\u0020\u0085\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"#
    static let invalidCharsGroup = #"\uFFFE\uFEFF\uFFFF"#
    static let directionalMarkersGroup = #"\u202A-\u202E\u061C\u200E\u200F\u2066\u2067\u2068\u2069"#
    static let latinAccentChars = #"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259"#
        + #"\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"#
    static let cyrillicLettersAndMarks = #"\u0400-\u04FF"#

    static let validDomainChars = "[^" + punct + spacesGroup + invalidCharsGroup + directionalMarkersGroup + "]"
    static let validSubdomain = "(?:(?:\(validDomainChars)(?:[_-]|\(validDomainChars))*)?\(validDomainChars)\\.)"
    static let validDomainName = "(?:(?:\(validDomainChars)(?:-|\(validDomainChars))*)?\(validDomainChars)\\.)"

    static func alternation(_ tlds: [String]) -> String {
        "(?:(?:" + tlds.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
            + #")(?=[^0-9a-zA-Z@+-]|\z))"#
    }

    static let validGTLD = alternation(TwitterTLDs.generic)
    static let validCCTLD = alternation(TwitterTLDs.country)
    static let validPunycode = #"(?:xn--[\-0-9a-z]+)"#
    static let validDomain = "(?:\(validSubdomain)*\(validDomainName)(?:\(validGTLD)|\(validCCTLD)|\(validPunycode)))"

    static let validUrlPrecedingChars = #"(?:[^A-Za-z0-9@＠\$#＃"# + invalidCharsGroup + "]|["
        + directionalMarkersGroup + "]|^)"
    static let validGeneralUrlPathChars = "[a-z" + cyrillicLettersAndMarks + #"0-9!\*';:=\+,\.\$\/%#\[\]\-\u2013_~@\|\&"#
        + latinAccentChars + "]"
    static let validUrlBalancedParens = #"\((?:"# + validGeneralUrlPathChars + "+|(?:" + validGeneralUrlPathChars
        + #"*\("# + validGeneralUrlPathChars + #"+\)"# + validGeneralUrlPathChars + #"*))\)"#
    static let validUrlPathEndingChars = #"[\+\-a-z"# + cyrillicLettersAndMarks + #"0-9=_#\/"# + latinAccentChars
        + "]|(?:" + validUrlBalancedParens + ")"
    static let validUrlPath = "(?:(?:" + validGeneralUrlPathChars + "*(?:" + validUrlBalancedParens
        + validGeneralUrlPathChars + "*)*" + validUrlPathEndingChars + ")|(?:@" + validGeneralUrlPathChars + "+/))"
    static let validUrlQueryChars = #"[a-z0-9!?\*'@\(\);:\&=\+\$\/%#\[\]\-_\.,~|]"#
    static let validUrlQueryEndingChars = #"[a-z0-9\-_\&=#\/]"#

    /// `extractUrl.js`: $1 the whole match, $2 the preceding character, $3 the URL, $4 the protocol, $5 the domain,
    /// $6 the port, $7 the path, $8 the query.
    static let extractUrl = compile("((" + validUrlPrecedingChars + ")((https?://)?(" + validDomain
        + ")(?::([0-9]+))?(/" + validUrlPath + "*)?(\\?" + validUrlQueryChars + "*" + validUrlQueryEndingChars
        + ")?))")
    /// `validTcoUrl.js`: a t.co link takes no further path.
    static let validTcoUrl = compile("^https?://t\\.co/([a-z0-9]+)(?:\\?" + validUrlQueryChars + "*"
        + validUrlQueryEndingChars + ")?")
    /// `validAsciiDomain.js`: the ASCII-only domains inside a domain written without a protocol.
    static let validAsciiDomain = compile("(?:(?:[\\-a-z0-9" + latinAccentChars + "]+)\\.)+(?:" + validGTLD + "|"
        + validCCTLD + "|" + validPunycode + ")")

    private static func compile(_ pattern: String) -> NSRegularExpression {
        // The pattern is a constant of this file: failing to compile it is a programming error any test catches.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }
}
