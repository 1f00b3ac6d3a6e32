import Crypto
import Foundation

/// The emulator's own OAuth 1.0a verifier (written apart from the adapter's signer, so each checks the other).
struct TwitterEmulatorSignature: Sendable {
    var consumerKey: String
    var consumerSecret: String
    var token: String
    var tokenSecret: String

    static func encode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
    }

    static func decode(_ text: String, plus: Bool) -> String {
        let source = plus ? text.replacingOccurrences(of: "+", with: " ") : text
        return source.removingPercentEncoding ?? source
    }

    static func pairs(_ text: String, plus: Bool) -> [(String, String)] {
        text.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(String(kv[0]), plus: plus), kv.count > 1 ? decode(String(kv[1]), plus: plus) : "")
        }
    }

    /// Parses `OAuth k="v", …`.
    static func header(_ value: String) -> [String: String]? {
        guard value.hasPrefix("OAuth ") else { return nil }
        var result: [String: String] = [:]
        for item in value.dropFirst(6).split(separator: ",") {
            let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            result[decode(String(kv[0]), plus: false)] = decode(String(kv[1]).trimmingCharacters(in: ["\""]),
                                                                plus: false)
        }
        return result
    }

    /// Nil when the request is correctly signed, else the reason.
    func problem(method: String, url: String, rawQuery: String, formBody: String?, header: String) -> String? {
        guard let oauth = Self.header(header) else { return "not an OAuth header" }
        guard oauth["oauth_consumer_key"] == consumerKey else { return "unknown consumer key" }
        guard oauth["oauth_token"] == token else { return "unknown access token" }
        guard oauth["oauth_signature_method"] == "HMAC-SHA1", oauth["oauth_version"] ?? "1.0" == "1.0" else {
            return "unsupported signature method"
        }
        guard let signature = oauth["oauth_signature"] else { return "no signature" }
        var params = Self.pairs(rawQuery, plus: false)
        if let formBody { params += Self.pairs(formBody, plus: true) }
        for (key, value) in oauth where key != "oauth_signature" && key != "realm" { params.append((key, value)) }
        var encoded: [[String]] = params.map { [Self.encode($0.0), Self.encode($0.1)] }
        encoded.sort { lhs, rhs in lhs[0] != rhs[0] ? lhs[0] < rhs[0] : lhs[1] < rhs[1] }
        let normalized = encoded.map { $0.joined(separator: "=") }.joined(separator: "&")
        let base = "\(method.uppercased())&\(Self.encode(url))&\(Self.encode(normalized))"
        let key = SymmetricKey(data: Data("\(Self.encode(consumerSecret))&\(Self.encode(tokenSecret))".utf8))
        let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: key))
            .base64EncodedString()
        return expected == signature ? nil : "signature mismatch"
    }
}
