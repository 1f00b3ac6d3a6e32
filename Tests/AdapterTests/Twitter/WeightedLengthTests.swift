import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing
import TwitterPlatform

@Suite("X weighted length (twitter-text v3) and the fitter")
struct WeightedLengthTests {
    @Test("the twitter-text v3 conformance cases", arguments: [
        ("Hi http://test.co", 26), ("😷👾😡🔥💩", 10), ("🙋🏽👨‍🎤", 4), ("H🐱☺👨‍👩‍👧‍👦", 7), ("1⃣", 2),
        ("", 0), ("abc", 3), ("e\u{301}", 1), ("a\r\nb", 3), ("日本語", 6), ("“quotes”…", 10),
        ("https://example.com/a/b?q=1.", 24), ("see example.com, ok", 31), ("(https://example.com/paren)", 25),
    ])
    func conformance(_ text: String, _ expected: Int) {
        #expect(WeightedLength.measure(text) == expected, "\(text.debugDescription)")
    }

    @Test("160 CJK characters weigh 320: over the limit")
    func cjk() {
        let text = String(repeating: "字", count: 160)
        #expect(WeightedLength.measure(text) == 320)
        #expect(WeightedLength.measure(text) > WeightedLength.limit)
    }

    @Test("the fitter truncates at a word boundary with an ellipsis, within 280 weighted")
    func fitter() {
        let words = (0..<120).map { "word\($0)" }.joined(separator: " ")
        let parts = ReplyFitter.fit(words, rule: WeightedLength.rule, overflow: .truncate, maxParts: 1)
        #expect(parts.count == 1)
        let fitted = parts[0]
        #expect(WeightedLength.measure(fitted) <= 280)
        #expect(fitted.hasSuffix("…"))
        let body = String(fitted.dropLast())
        #expect(words.hasPrefix(body))
        #expect(words.dropFirst(body.count).first == " ", "cut inside a word: \(fitted.suffix(20))")
        let cjk = String(repeating: "漢字かな", count: 60)
        let fittedCJK = ReplyFitter.fit(cjk, rule: WeightedLength.rule, overflow: .truncate, maxParts: 1)[0]
        #expect(WeightedLength.measure(fittedCJK) <= 280)
        let emoji = String(repeating: "👨‍👩‍👧‍👦 ", count: 120)
        let fittedEmoji = ReplyFitter.fit(emoji, rule: WeightedLength.rule, overflow: .truncate, maxParts: 1)[0]
        #expect(WeightedLength.measure(fittedEmoji) <= 280)
        #expect(fittedEmoji.unicodeScalars.filter { $0 == "\u{200D}" }.count % 3 == 0, "an emoji sequence was cut")
        let short = "A short answer https://example.com/very/long/path/that/counts/as/twenty-three"
        #expect(ReplyFitter.fit(short, rule: WeightedLength.rule, overflow: .truncate, maxParts: 1) == [short])
    }

    @Test("agreement with twitter-text-parser (PyPI) on 1,500 generated strings")
    func oracle() throws {
        // twitter-text-parser 3.0.0 ships emoji-test.txt of Emoji 12.0: newer ZWJ sequences (e.g. 🧑🏾‍💻, Emoji 12.1)
        // are split there into their parts, so the palette keeps to sequences of Emoji 12.0 and earlier.
        var generator = SeededGenerator(seed: 7)
        let palette: [[String]] = [
            ["hello", "world", "naïve", "café", "e\u{301}cole", "Zürich", "Ωmega", "ñandú", "fiancée", "x", "—", "…",
             "“quoted”", "‘s’", "′", "!", "?", ",", ".", "#tag", "@someone", "$5", "100%", "a\nb", "tab\tx"],
            ["日本語", "中文字", "한국어", "ひらがな", "カタカナ", "漢", "。", "、", "ไทย", "עברית", "العربية", "हिन्दी"],
            ["😷", "👾", "🔥", "💩", "🐱", "☺️", "❤️", "👍🏽", "🙋🏿‍♀️", "👨‍🎤", "👨‍👩‍👧‍👦", "1️⃣", "#️⃣", "🇺🇸",
             "🇯🇵", "🏳️‍🌈", "👩🏾‍💻", "©", "®", "™", "⌚", "✈️", "🫠"],
            ["https://example.com", "http://test.co", "https://x.com/ReplyTensor/status/123", "https://a.b.io/p?q=1&r=2",
             "example.org", "www.example.net/path", "https://sub.domain.dev/a_b-c/d", "HTTPS://EXAMPLE.COM/UP",
             "https://example.com/trailing.", "(https://example.com/paren)"],
        ]
        var samples: [String] = []
        for index in 0..<1500 {
            var words: [String] = []
            let count = 1 + Int(generator.next() % (index % 10 == 0 ? 160 : 14))
            for _ in 0..<count {
                let group = palette[Int(generator.next() % UInt64(palette.count))]
                words.append(group[Int(generator.next() % UInt64(group.count))])
            }
            samples.append(words.joined(separator: index % 3 == 0 ? "  " : " "))
        }
        let script = """
            import json, sys
            from twitter_text import parse_tweet
            texts = json.load(sys.stdin.buffer)
            json.dump([parse_tweet(t).weightedLength for t in texts], sys.stdout)
            """
        let output = try PythonOracle.run(script: script, input: try JSONSerialization.data(withJSONObject: samples))
        let theirs = try #require(try JSONSerialization.jsonObject(with: output) as? [Int])
        #expect(theirs.count == samples.count)
        var mismatches: [String] = []
        for (text, expected) in zip(samples, theirs) where WeightedLength.measure(text) != expected {
            mismatches.append("\(text.debugDescription): ours \(WeightedLength.measure(text)), twitter-text \(expected)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(8).joined(separator: "\n"))")
        #expect(samples.filter { WeightedLength.measure($0) > 280 }.count > 50, "long strings must be covered too")
    }
}
