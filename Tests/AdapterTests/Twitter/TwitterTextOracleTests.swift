import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing
import TwitterPlatform
import TwitterTLDs

/// URLs and cashtags as twitter-text finds them, against twitter-text-parser 3.0.0 (PyPI) and twitter-text's own
/// conformance cases.
@Suite("twitter-text URLs and cashtags")
struct TwitterTextOracleTests {
    /// Code point offsets of `ranges` in `text`.
    static func offsets(_ ranges: [Range<String.Index>], in text: String) -> [[Int]] {
        ranges.map { range in
            [text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound),
             text.unicodeScalars.distance(from: text.startIndex, to: range.upperBound)]
        }
    }

    static func oracle(_ script: String, _ samples: [String]) throws -> [[[Int]]] {
        let output = try PythonOracle.run(script: script, input: try JSONSerialization.data(withJSONObject: samples))
        return try #require(try JSONSerialization.jsonObject(with: output) as? [[[Int]]])
    }

    static func mismatches(_ samples: [String], _ theirs: [[[Int]]], _ ours: (String) -> [[Int]]) -> [String] {
        zip(samples, theirs).compactMap { text, expected in
            ours(text) == expected ? nil : "\(text.debugDescription): ours \(ours(text)), twitter-text \(expected)"
        }
    }

    @Test("twitter-text's conformance cases for cashtags (conformance/extract.yml)", arguments: [
        ("Example cashtags: $TEST $Stock   $symbol", ["TEST", "Stock", "symbol"]),
        ("Example cashtags: $TEST.T $test.tt $Stock_X $symbol_ab", ["TEST.T", "test.tt", "Stock_X", "symbol_ab"]),
        ("$123 $test123 $TE123ST", []), ("$ストック $株", []), ("$ $. $- $@ $! $() $+", []),
        ("$TEST. $TEST_", ["TEST", "TEST"]), ("$OK$NG$BAD text$NO .$NG $$NG", ["OK"]),
        ("$CashtagMustBeLessThanSixCharacter", []), ("$TAO vs $ETH", ["TAO", "ETH"]), ("$AB.CDE", ["AB"]),
    ])
    func cashtagConformance(_ text: String, _ expected: [String]) {
        let found = Cashtags.ranges(in: text).map { String(text[$0].dropFirst()) }
        #expect(found == expected, "\(text.debugDescription)")
    }

    @Test("cashtags agree with twitter-text's validCashtag on 2,000 generated strings; one is kept, the rest defused")
    func cashtagOracle() throws {
        var generator = SeededGenerator(seed: 11)
        let words = ["$TAO", "$ETH", "$btc", "$Stock_X", "$TEST.T", "$AB.CDE", "$toolongtag", "$5", "$$NG", "a$B", "(",
                     ")", ".", ",", "!", "?", "\"", "`", "vs", "and", "日本", "\u{3000}", "\u{A0}", "\t", "\n", "$", "$a.",
                     "$x_", "@bob", "#tag", "$ストック", "café", "$É", "—", "…", "https://x.com/$AB"]
        let separators = [" ", "", "  ", "\u{3000}", "\n"]
        var samples: [String] = []
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<(1 + Int(generator.next() % 9)) {
                text += words[Int(generator.next() % UInt64(words.count))]
                text += separators[Int(generator.next() % UInt64(separators.count))]
            }
            samples.append(text)
        }
        // twitter-text-parser has no cashtag extractor: its `punct` and `spaces_group` build validCashtag.js.
        let script = """
            import json, re, sys
            from twitter_text.regexp.punct import punct
            from twitter_text.regexp.spaces_group import spaces_group
            valid = re.compile('(^|[' + spaces_group + '])(\\\\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\\\\s|[' + punct + '])',
                               re.IGNORECASE)
            texts = json.load(sys.stdin.buffer)
            json.dump([[[m.start(2), m.end(3)] for m in valid.finditer(t)] for t in texts], sys.stdout)
            """
        let theirs = try Self.oracle(script, samples)
        let wrong = Self.mismatches(samples, theirs) { Self.offsets(Cashtags.ranges(in: $0), in: $0) }
        #expect(wrong.isEmpty, "\(wrong.count) mismatches:\n\(wrong.prefix(8).joined(separator: "\n"))")
        #expect(theirs.filter { $0.count > 1 }.count > 300, "strings with several cashtags are covered")
        // Defused: twitter-text then finds only the first, where it was.
        let defused = samples.map(Cashtags.keepingFirst)
        let after = try Self.oracle(script, defused)
        for (index, found) in after.enumerated() {
            #expect(found.count == min(1, theirs[index].count), "\(defused[index].debugDescription)")
            #expect(found.first == theirs[index].first, "\(defused[index].debugDescription)")
        }
    }

    @Test("URLs agree with twitter-text-parser: every top-level domain, and 3,000 generated strings")
    func urlOracle() throws {
        let tlds = TwitterTLDs.generic + TwitterTLDs.country
        var samples = tlds.map { "https://twitter.\($0)" } + tlds.flatMap { ["see x.\($0) now", "(docs.\($0)/a_b?c=1)."] }
        var generator = SeededGenerator(seed: 5)
        let words = ["hello", "日本語", "café", "(", ")", ".", ",", "!", "?", "-", "_", "/", "@", "$", "#", "“", "”",
                     "https://", "http://", "HTTPS://", "www.", "t.co/abc123", "a", "docs", "e.g.", "i.e.", "Hello.World",
                     "x.fund", "tao.finance", "example.de", "b.museum", "c.co.uk", "d.x", "e.apple", "f.xn--p1ai",
                     "/path", "/a(b)", "?q=1&r=2", ":8080", "\u{301}", "👍🏽", "…", "—", "example.com", "EXAMPLE.COM"]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<(1 + Int(generator.next() % 10)) {
                text += words[Int(generator.next() % UInt64(words.count))]
                if generator.next() % 3 == 0 { text += " " }
            }
            samples.append(text)
        }
        let script = """
            import json, sys
            from twitter_text import extract_urls_with_indices
            texts = json.load(sys.stdin.buffer)
            json.dump([[u['indices'] for u in extract_urls_with_indices(t)] for t in texts], sys.stdout)
            """
        let theirs = try Self.oracle(script, samples)
        let wrong = Self.mismatches(samples, theirs) { Self.offsets(URLFinder.ranges(in: $0), in: $0) }
        #expect(wrong.isEmpty, "\(wrong.count) mismatches:\n\(wrong.prefix(8).joined(separator: "\n"))")
        #expect(theirs.prefix(tlds.count).allSatisfy { $0.count == 1 }, "every top-level domain makes a URL")
    }

    @Test("a short URL with a domain outside the old 29 weighs 23, as twitter-text-parser counts it")
    func shortURLWeight() throws {
        let samples = ["tao.finance", "x.fund", "gm.wtf", "a.museum", "subnet.academy now", "b.xn--p1ai"]
        let script = """
            import json, sys
            from twitter_text import parse_tweet
            json.dump([parse_tweet(t).weightedLength for t in json.load(sys.stdin.buffer)], sys.stdout)
            """
        let output = try PythonOracle.run(script: script, input: try JSONSerialization.data(withJSONObject: samples))
        let theirs = try #require(try JSONSerialization.jsonObject(with: output) as? [Int])
        #expect(samples.map(WeightedLength.measure) == theirs)
        #expect(WeightedLength.measure("tao.finance") == 23)
    }
}
