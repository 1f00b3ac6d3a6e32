import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing
import TwitterPlatform

@Suite("X OAuth 1.0a signing")
struct OAuth1SignerTests {
    static let official = OAuth1Credentials(consumerKey: "xvz1evFS4wEEPTGEFPHBog",
                                            consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                                            token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                                            tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
    static let stamp = OAuth1Signer.Stamp(nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", timestamp: "1318622958")
    static let body = "status=" + PercentEncoding.encode("Hello Ladies + Gentlemen, a signed OAuth request!")

    @Test("the official X vector (api.x.com and api.twitter.com)")
    func officialVector() {
        let signer = OAuth1Signer(credentials: Self.official)
        #expect(signer.signature(method: "POST", url: "https://api.x.com/1.1/statuses/update.json?include_entities=true",
                                 formBody: Self.body, stamp: Self.stamp) == "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=")
        #expect(signer.signature(method: "POST",
                                 url: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                                 formBody: Self.body, stamp: Self.stamp) == "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")
    }

    @Test("the header lists every oauth_* value percent-encoded, and parses back")
    func header() throws {
        let signer = OAuth1Signer(credentials: Self.official)
        let header = signer.authorization(method: "POST",
                                          url: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                                          formBody: Self.body, stamp: Self.stamp)
        #expect(header.hasPrefix("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce="))
        #expect(header.contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""))
        let parsed = try #require(OAuth1Signer.parseHeader(header))
        #expect(parsed["oauth_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")
        #expect(parsed.count == 7)
    }

    @Test("RFC 3986 encoding: unreserved kept, uppercase hex, space %20, UTF-8 bytes")
    func encoding() {
        #expect(PercentEncoding.encode("Az09-._~") == "Az09-._~")
        #expect(PercentEncoding.encode("a b+c*d/é!") == "a%20b%2Bc%2Ad%2F%C3%A9%21")
        #expect(PercentEncoding.encode("😷") == "%F0%9F%98%B7")
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
    }

    @Test("a JSON body is not signed: the signature depends on the query only")
    func jsonBodiesUnsigned() {
        let signer = OAuth1Signer(credentials: Self.official)
        let a = signer.signature(method: "POST", url: "https://api.x.com/2/tweets", formBody: nil, stamp: Self.stamp)
        let b = signer.signature(method: "POST", url: "https://api.x.com/2/tweets?x=1", formBody: nil, stamp: Self.stamp)
        #expect(a != b)
        #expect(a == OAuth1Signer(credentials: Self.official).signature(method: "post", url: "HTTPS://API.X.COM:443/2/tweets",
                                                                       formBody: nil, stamp: Self.stamp))
    }

    @Test("identical signatures to oauthlib (PyPI) for 300 generated requests")
    func oauthlibOracle() throws {
        var generator = SeededGenerator(seed: 2026)
        let pieces = ["a", "Z9", "hello world", "naïve café", "日本語", "😷👨‍👩‍👧", "a+b", "x=y&z", "100%", "~tilde",
                      "*star*", "!", "'quote'", "(paren)", "comma,semi;", "slash/back\\", "", " ", "é", "🇺🇸", "[]{}",
                      "#hash", "@at", "$dollar", "^caret", "`tick`", "|pipe|", "<>", "\"dq\"", "tab\there"]
        func piece() -> String { pieces[Int(generator.next() % UInt64(pieces.count))] }
        func key() -> String {
            let keys = ["q", "status", "a", "b", "a", "include_entities", "ключ", "k y", "x.y", "max_results", "z~", "ü"]
            return keys[Int(generator.next() % UInt64(keys.count))]
        }
        var cases: [[String: Any]] = []
        var mine: [String] = []
        for index in 0..<300 {
            let credentials = OAuth1Credentials(consumerKey: "ck\(index)-" + piece(), consumerSecret: "cs&" + piece(),
                                                token: "\(index)-tok", tokenSecret: "ts " + piece())
            let method = generator.next() % 2 == 0 ? "GET" : "POST"
            var query: [(String, String)] = []
            for _ in 0..<Int(generator.next() % 4) { query.append((key(), piece())) }
            var url = "https://api.x.com/2/" + ["tweets", "users/me", "users/123/mentions", "oauth/request_token"][index % 4]
            if !query.isEmpty { url += "?" + PercentEncoding.encodePairs(query) }
            var body: String?
            if method == "POST", generator.next() % 2 == 0 {
                var form: [(String, String)] = []
                for _ in 0..<(1 + Int(generator.next() % 3)) { form.append((key(), piece())) }
                body = PercentEncoding.encodePairs(form)
            }
            let stamp = OAuth1Signer.Stamp(nonce: "n\(index)x\(generator.next() % 1_000_000)",
                                           timestamp: String(1_700_000_000 + index))
            mine.append(OAuth1Signer(credentials: credentials).signature(method: method, url: url, formBody: body,
                                                                          stamp: stamp))
            var item: [String: Any] = ["ck": credentials.consumerKey, "cs": credentials.consumerSecret,
                                       "tk": credentials.token, "ts": credentials.tokenSecret, "method": method,
                                       "url": url, "nonce": stamp.nonce, "timestamp": stamp.timestamp]
            item["body"] = body ?? NSNull()
            cases.append(item)
        }
        let script = """
            import json, re, sys, urllib.parse
            from oauthlib.oauth1 import Client
            cases = json.load(sys.stdin.buffer)
            out = []
            for c in cases:
                client = Client(c['ck'], client_secret=c['cs'], resource_owner_key=c['tk'],
                                resource_owner_secret=c['ts'], nonce=c['nonce'], timestamp=c['timestamp'])
                headers = {}
                body = c['body']
                if body is not None:
                    headers['Content-Type'] = 'application/x-www-form-urlencoded'
                _, signed, _ = client.sign(c['url'], http_method=c['method'], body=body, headers=headers)
                auth = signed['Authorization']
                out.append(urllib.parse.unquote(re.search(r'oauth_signature="([^"]*)"', auth).group(1)))
            json.dump(out, sys.stdout)
            """
        let output = try PythonOracle.run(script: script, input: try JSONSerialization.data(withJSONObject: cases))
        let theirs = try #require(try JSONSerialization.jsonObject(with: output) as? [String])
        #expect(theirs.count == 300)
        let mismatches = zip(mine, theirs).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.first.map { "\(cases[$0.offset])" } ?? "")")
    }
}
