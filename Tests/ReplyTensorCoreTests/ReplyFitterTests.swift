import ReplyTensorCore
import Testing

@Suite("Reply fitter")
struct ReplyFitterTests {
    @Test("a 10,000-character answer is split into parts within 4096 UTF-16 units, losing nothing")
    func splitsLongAnswer() {
        let paragraph = String(repeating: "Bittensor miners answer prompts. ", count: 30)  // ~990 chars
        let text = Array(repeating: paragraph.trimmingCharacters(in: .whitespaces), count: 10).joined(separator: "\n\n")
        #expect(text.count > 9_000)
        let parts = ReplyFitter.fit(text, rule: .utf16(4096), overflow: .split, maxParts: 5)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.utf16.count <= 4096 })
        // Paragraph boundaries are preferred: every part ends at the end of a paragraph.
        #expect(parts.dropLast().allSatisfy { $0.hasSuffix("prompts.") })
        #expect(parts.joined(separator: "\n\n") == text)
    }

    @Test("sentences are preferred over words, words over hard cuts")
    func boundaryPreference() {
        let rule = LengthRule.codePoints(30)
        let sentences = ReplyFitter.fit("First sentence here. Second one is longer than that.", rule: rule,
                                        overflow: .split, maxParts: 4)
        #expect(sentences.first == "First sentence here.")
        let words = ReplyFitter.fit("alpha beta gamma delta epsilon zeta eta theta", rule: LengthRule.codePoints(20),
                                    overflow: .split, maxParts: 4)
        #expect(words.allSatisfy { !$0.hasPrefix(" ") && $0.count <= 20 })
        #expect(words.joined(separator: " ") == "alpha beta gamma delta epsilon zeta eta theta")
    }

    @Test("never splits inside a surrogate pair or a grapheme cluster")
    func graphemeSafety() {
        let family = "👨‍👩‍👧‍👦"  // 11 UTF-16 units, one grapheme
        let flag = "🇺🇳"
        let combining = "e\u{301}"
        let text = String(repeating: family + flag + combining, count: 40)  // no spaces at all
        let parts = ReplyFitter.fit(text, rule: .utf16(50), overflow: .split, maxParts: 100)
        #expect(parts.joined() == text)
        for part in parts {
            #expect(part.utf16.count <= 50)
            #expect(String(decoding: Array(part.utf16), as: UTF16.self) == part)  // no lone surrogates
            #expect(part.unicodeScalars.first != "\u{301}")
            #expect(part.unicodeScalars.first != "\u{200D}")
        }
    }

    @Test("over the maximum number of parts, the last part is truncated with an ellipsis")
    func maxPartsTruncates() {
        let text = String(repeating: "word ", count: 200)
        let parts = ReplyFitter.fit(text, rule: .codePoints(100), overflow: .split, maxParts: 2)
        #expect(parts.count == 2)
        #expect(parts[1].hasSuffix(ReplyFitter.ellipsis))
        #expect(parts.allSatisfy { $0.unicodeScalars.count <= 100 })
    }

    @Test("truncate mode cuts at a word boundary and adds an ellipsis")
    func truncateMode() {
        let parts = ReplyFitter.fit("The quick brown fox jumps over the lazy dog", rule: .codePoints(20),
                                    overflow: .truncate, maxParts: 1)
        #expect(parts == ["The quick brown fox…"])
    }

    @Test("short and empty answers")
    func shortAndEmpty() {
        #expect(ReplyFitter.fit("  hi  ", rule: .utf16(10), overflow: .split, maxParts: 2) == ["hi"])
        #expect(ReplyFitter.fit(" \n ", rule: .utf16(10), overflow: .split, maxParts: 2).isEmpty)
    }
}
