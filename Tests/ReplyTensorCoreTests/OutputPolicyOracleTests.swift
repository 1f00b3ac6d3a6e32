import Foundation
@testable import ReplyTensorCore
import ReplyTensorTestSupport
import Testing

/// The link rule against twitter-text itself (twitter-text-parser from PyPI, the X oracle of the test environment):
/// after defusing, X finds no URL, for every top-level domain twitter-text knows.
@Suite("Output policy: links against twitter-text")
struct OutputPolicyOracleTests {
    static let script = """
        import json, sys
        from twitter_text import extract_urls
        from twitter_text.regexp.valid_gtld import valid_gtld
        from twitter_text.regexp.valid_cctld import valid_cctld
        def names(rx):
            p = rx.pattern
            return p[p.index('(?:(?:') + 6:p.index(')(?=')].split('|')
        request = json.load(sys.stdin.buffer)
        if request['op'] == 'tlds':
            json.dump(names(valid_gtld) + names(valid_cctld), sys.stdout)
        else:
            json.dump([extract_urls(text) for text in request['texts']], sys.stdout)
        """

    static func oracle(_ request: [String: Any]) throws -> Any {
        let output = try PythonOracle.run(script: script, input: try JSONSerialization.data(withJSONObject: request))
        return try JSONSerialization.jsonObject(with: output)
    }

    @Test("no URL survives for any of twitter-text's TLDs; no file extension left alone is a TLD")
    func everyTLD() throws {
        let tlds = try #require(try Self.oracle(["op": "tlds"]) as? [String])
        #expect(tlds.count > 1500 && tlds.contains("com") && tlds.contains("zip") && tlds.contains("香港"))
        let common = LinkDefuser.fileExtensions.intersection(tlds.map { $0.lowercased() })
        #expect(common.isEmpty, "file extensions that are TLDs after all: \(common.sorted())")
        var raw = tlds.map { "see shop.\($0) and https://a.b.\($0)/x?y=1 or www.site.\($0)/path, mail bob@mail.\($0)." }
        raw += [
            "Hi http://test.co", "HTTPS://EXAMPLE.COM/UP", "(https://example.com/paren)", "example.org.", "t.co/abc",
            "h t t p s ://example.com", "xn--80ak6aa92e.com", "exa\u{200B}mple.com", "example.com\u{2060}/x",
            "ｅｘａｍｐｌｅ.com", "evil.zip", "a.b.c.example.co.uk", "https://1.2.3.4/admin", "x.com/ReplyTensor/status/1",
        ]
        let defused = raw.map { OutputPolicyPlugin().apply($0, author: Author(id: "1"), allowances: .none) }
        let found = try #require(try Self.oracle(["op": "urls", "texts": defused]) as? [[String]])
        #expect(found.count == defused.count)
        let survivors = zip(defused, found).filter { !$0.1.isEmpty }.map { "\($0.0.debugDescription) → \($0.1)" }
        #expect(survivors.isEmpty, "\(survivors.count) texts still have URLs:\n\(survivors.prefix(10).joined(separator: "\n"))")
        // The oracle does see the URLs before defusing (the test would prove nothing otherwise).
        let before = try #require(try Self.oracle(["op": "urls", "texts": raw]) as? [[String]])
        let unseen = tlds.indices.filter { tlds[$0].allSatisfy(\.isASCII) && before[$0].isEmpty }.map { tlds[$0] }
        #expect(unseen.isEmpty, "twitter-text found no URL before defusing for: \(unseen.prefix(10))")
    }
}
