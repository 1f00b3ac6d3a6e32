@testable import ReplyTensorCore
import Testing

/// The output policy skips its regular expressions when an answer lacks the characters every match needs; skipping
/// must never change an answer.
@Suite("Output policy prechecks")
struct OutputPrecheckTests {
    /// Pieces that make or nearly make links, domains, addresses and handles, in several scripts.
    static let pieces = ["http", "h t t p s", "://", ":", "/", ".", ". ", "..", "example", "com", "xn--p1ai", "рф",
                         "пример", "e\u{301}", "1", "192", "168", "0", "-", "_", "@", "＠", "bob", " ", "tg", "js",
                         "Node", "torch", "nn", "\u{2060}", "(", "[", "dot", "]", "\t", "é", "٣", "中文", "x"]

    @Test("with and without the precheck, link defusing gives the same text (10,000 generated answers)")
    func linkPrecheckChangesNothing() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let text = (0..<Int.random(in: 1...8, using: &generator))
                .map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            #expect(LinkDefuser.defuse(text) == LinkDefuser.defuse(text, precheck: false), "\(text.debugDescription)")
        }
    }

    @Test("answers without a candidate character skip every pattern; ones with a candidate are defused")
    func candidates() {
        #expect(LinkDefuser.candidates(in: "The answer is 42. Next, ask again: twice.") == (false, false))
        #expect(LinkDefuser.candidates(in: "see example.com") == (false, true))
        #expect(LinkDefuser.candidates(in: "10.0.0.1") == (false, true))
        #expect(LinkDefuser.candidates(in: "tg: //x") == (true, false))
        #expect(LinkDefuser.defuse("see пример.рф and https://x") == "see пример[.]рф and hxxps://x")
        #expect(HandleDefuser.defuse("no handle here.", keepHandle: nil, keepID: nil, allowOthers: false)
                == "no handle here.")
        #expect(HandleDefuser.defuse("ask ＠bob", keepHandle: nil, keepID: nil, allowOthers: false)
                == "ask ＠\u{2060}bob")
    }
}
