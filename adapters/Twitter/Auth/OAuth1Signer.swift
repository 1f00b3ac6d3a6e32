import Crypto
import Foundation

/// The four secrets of OAuth 1.0a user context.
public struct OAuth1Credentials: Sendable, Hashable {
    public var consumerKey: String
    public var consumerSecret: String
    public var token: String
    public var tokenSecret: String

    public init(consumerKey: String, consumerSecret: String, token: String, tokenSecret: String) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.token = token
        self.tokenSecret = tokenSecret
    }
}

/// OAuth 1.0a HMAC-SHA1 request signing (RFC 5849 as X documents it).
///
/// Signed parameters: the query string, a `application/x-www-form-urlencoded` body and the `oauth_*` parameters.
/// JSON bodies are not signed. Keys and values are RFC 3986 encoded, sorted by key then value, joined with `&`; the
/// base string is `METHOD&pct(base URL)&pct(parameters)`, the key `pct(consumer secret)&pct(token secret)`.
public struct OAuth1Signer: Sendable {
    public var credentials: OAuth1Credentials

    public init(credentials: OAuth1Credentials) { self.credentials = credentials }

    /// The `oauth_*` values of one request (nonce and timestamp are injectable for tests).
    public struct Stamp: Sendable {
        public var nonce: String
        public var timestamp: String
        public init(nonce: String, timestamp: String) {
            self.nonce = nonce
            self.timestamp = timestamp
        }

        public static func fresh(now: Date = Date()) -> Stamp {
            var generator = SystemRandomNumberGenerator()
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            let nonce = String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            return Stamp(nonce: nonce, timestamp: String(Int(now.timeIntervalSince1970)))
        }
    }

    /// The `oauth_*` parameters without the signature.
    func protocolParameters(_ stamp: Stamp) -> [(String, String)] {
        [("oauth_consumer_key", credentials.consumerKey), ("oauth_nonce", stamp.nonce),
         ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", stamp.timestamp),
         ("oauth_token", credentials.token), ("oauth_version", "1.0")]
    }

    /// The signature base string. `url` may carry a query; `formBody` is a form-encoded body (nil for JSON/no body).
    public func baseString(method: String, url: String, formBody: String?, stamp: Stamp) -> String {
        let (baseURL, query) = Self.split(url)
        var pairs = PercentEncoding.parsePairs(query, plusAsSpace: false)
        if let formBody { pairs += PercentEncoding.parsePairs(formBody, plusAsSpace: true) }
        pairs += protocolParameters(stamp)
        let encoded: [(key: String, value: String)] = pairs.map { pair in
            (key: PercentEncoding.encode(pair.0), value: PercentEncoding.encode(pair.1))
        }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.key == rhs.key ? lhs.value < rhs.value : lhs.key < rhs.key
        }
        let parameterString = sorted.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let parts: [String] = [method.uppercased(), PercentEncoding.encode(Self.normalize(baseURL)),
                               PercentEncoding.encode(parameterString)]
        return parts.joined(separator: "&")
    }

    /// base64(HMAC-SHA1(key, base string)).
    public func signature(method: String, url: String, formBody: String?, stamp: Stamp) -> String {
        let key = PercentEncoding.encode(credentials.consumerSecret) + "&" + PercentEncoding.encode(credentials.tokenSecret)
        let base = baseString(method: method, url: url, formBody: formBody, stamp: stamp)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The `Authorization` header value: `OAuth k="v", …` with every value percent-encoded.
    public func authorization(method: String, url: String, formBody: String?, stamp: Stamp = .fresh()) -> String {
        let signature = signature(method: method, url: url, formBody: formBody, stamp: stamp)
        let pairs = protocolParameters(stamp) + [("oauth_signature", signature)]
        return "OAuth " + pairs.sorted { $0.0 < $1.0 }
            .map { "\(PercentEncoding.encode($0.0))=\"\(PercentEncoding.encode($0.1))\"" }
            .joined(separator: ", ")
    }

    /// `https://host/path?query` → (`https://host/path`, `query`).
    static func split(_ url: String) -> (String, String) {
        var base = url
        if let hash = base.firstIndex(of: "#") { base = String(base[..<hash]) }
        guard let question = base.firstIndex(of: "?") else { return (base, "") }
        return (String(base[..<question]), String(base[base.index(after: question)...]))
    }

    /// Scheme and host lowercased, default ports dropped (RFC 5849 §3.4.1.2).
    static func normalize(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash].lowercased()
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
        let path = rest[slash...].isEmpty ? "/" : String(rest[slash...])
        return "\(scheme)://\(authority)\(path)"
    }
}

extension OAuth1Signer {
    /// Parses an `Authorization: OAuth …` header into its (decoded) parameters. Used by the emulator and tests.
    public static func parseHeader(_ header: String) -> [String: String]? {
        guard header.hasPrefix("OAuth ") else { return nil }
        var result: [String: String] = [:]
        for item in header.dropFirst(6).split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = String(trimmed[..<equals])
            var value = String(trimmed[trimmed.index(after: equals)...])
            guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { return nil }
            value = String(value.dropFirst().dropLast())
            guard let decodedKey = PercentEncoding.decode(key), let decoded = PercentEncoding.decode(value) else {
                return nil
            }
            result[decodedKey] = decoded
        }
        return result
    }
}
