import Foundation
@testable import ReplyTensorCore
import Testing

/// The output policy's shaping rules, each with hostile answers.
@Suite("Output policy: shaping hostile answers")
struct OutputPolicyTests {
    let policy = OutputPolicyPlugin()
    let alice = Author(id: "42", handle: "alice_x")

    func shape(_ text: String, _ allowances: OutputAllowances = .none) -> String {
        policy.apply(text, author: alice, allowances: allowances)
    }

    /// The handles a platform would notify in `text`: twitter-text's `validMentionOrList` (an `@`/`＠` not after
    /// `[a-zA-Z0-9_!#$%&*@＠]`, then 1–20 of `[a-zA-Z0-9_]`) and tdlib's `match_mentions` (an `@` not after a
    /// letter, digit or `_`, then 2–32 of `[a-zA-Z0-9_]`) both need a handle character right after the `@`.
    static func notified(in text: String) -> [String] {
        let regex = try? NSRegularExpression(pattern: "(?:^|[^a-zA-Z0-9_!#$%&*@＠])[@＠]([a-zA-Z0-9_]{1,20})")
        let string = NSString(string: text)
        return (regex?.matches(in: text, range: NSRange(location: 0, length: string.length)) ?? [])
            .map { string.substring(with: $0.range(at: 1)) }
    }

    @Test("RTL override, bidi controls, zero-width and control characters are stripped; emoji keep their joiners")
    func invisible() {
        let hostile = "invoice\u{202E}fdp.exe \u{2066}x\u{2069} ev\u{200B}il e\u{200D}vil \u{FEFF}bom\u{0007}\u{0000} "
            + "soft\u{00AD}hyphen tag\u{E0041}\u{E0042} fill\u{3164}er mark\u{200E}s \u{061C}"
        let out = shape(hostile)
        let forbidden: Set<UInt32> = [0x202E, 0x2066, 0x2069, 0x200B, 0x200D, 0xFEFF, 0x07, 0x00, 0xAD, 0xE0041, 0xE0042,
                                      0x3164, 0x200E, 0x061C]
        #expect(!out.unicodeScalars.contains { forbidden.contains($0.value) }, "\(out.unicodeScalars.map(\.value))")
        #expect(out.contains("invoicefdp.exe") && out.contains("evil evil") && out.contains("softhyphen"))
        let emoji = "👨‍👩‍👧‍👦 🏴󠁧󠁢󠁥󠁮󠁧󠁿 1️⃣ 👍🏽 🏳️‍🌈"
        #expect(shape(emoji) == emoji)
        let persian = "می\u{200C}خواهم"
        #expect(shape(persian) == persian, "ZWNJ spells Persian")
        #expect(shape("a\r\nb\rc\u{2028}d\u{2029}e\tf") == "a\nb\nc\nd\ne\tf")
        // Variation selectors carry hidden bytes ("emoji smuggling"): only VS15/VS16 after an emoji-capable character stay.
        #expect(shape("hi\u{FE01}\u{E0100}\u{E01EF} ok\u{FE0F}") == "hi ok")
    }

    @Test("foreign @handles are defused, the author's handle stays, an email address is no handle")
    func handles() {
        let out = shape("Thanks @alice_x and @ALICE_X! Ask @someone or ＠other_one, write to bob@example.com, "
                        + "@everyone @here, and (@ReplyTensorBot)")
        #expect(out.contains("@alice_x") && out.contains("@ALICE_X"))
        #expect(out.contains("@\u{2060}someone") && out.contains("＠\u{2060}other_one"))
        #expect(out.contains("@\u{2060}everyone") && out.contains("@\u{2060}here") && out.contains("(@\u{2060}ReplyTensorBot)"))
        #expect(out.contains("bob@example[.]com"), "the email keeps its @; only its domain is defused (a link)")
        #expect(Self.notified(in: out) == ["alice_x", "ALICE_X"])
        // A word joiner the model wrote itself is stripped and put back: the handle stays defused.
        #expect(shape("@\u{2060}someone") == "@\u{2060}someone")
        #expect(shape("mail@someone.example") == "mail@someone[.]example")
    }

    @Test("allow_mentions keeps other handles but never mass mentions; Discord markup keeps the author only")
    func mentionsAllowed() {
        #expect(shape("@someone @everyone @all", OutputAllowances(mentions: true)) == "@someone @\u{2060}everyone @\u{2060}all")
        #expect(shape("<@42> <@!7> <@&9> <@7>") == "<@42> @\u{2060}user @\u{2060}role @\u{2060}user")
        #expect(shape("<@7> <@&9>", OutputAllowances(mentions: true)) == "<@7> @\u{2060}role")
        let anonymous = policy.apply("@someone", author: Author(id: "1"), allowances: .none)
        #expect(anonymous == "@\u{2060}someone", "an author without a handle keeps nobody's")
    }

    @Test("links are defused unless allowed: schemes, bare domains, punycode, IDN, IPs, spaced-out schemes", arguments: [
        ("see https://example.com/a?b=1 now", "see hxxps://example[.]com/a?b=1 now"),
        ("HTTP://Example.COM", "hxxp://Example[.]COM"),
        ("h t t p s ://example.com", "hxxps://example[.]com"),
        ("https : / / example.com", "hxxps:// example[.]com"),
        ("already example[.]com and hxxps://x[.]io stay", "already example[.]com and hxxps://x[.]io stay"),
        ("xn--80ak6aa92e.com and example.xn--p1ai", "xn--80ak6aa92e[.]com and example[.]xn--p1ai"),
        ("пример.рф, 例子.中国", "пример[.]рф, 例子[.]中国"),
        ("tg://resolve?domain=x ftp://files.example.org", "tg[:]//resolve?domain=x ftp[:]//files[.]example[.]org"),
        ("server 192.168.1.10.", "server 192[.]168[.]1[.]10."),
        ("photos.zip, README.md, www.evil.ninja/login", "photos[.]zip, README[.]md, www[.]evil[.]ninja/login"),
        ("https://user@evil.com", "hxxps://user@evil[.]com"),
        ("Node.js, config.toml, index.html, v3.14, e.g. the U.S. wait...what", "Node.js, config.toml, index.html, v3.14, e.g. the U.S. wait...what"),
    ])
    func links(_ raw: String, _ expected: String) {
        #expect(shape(raw) == expected)
        #expect(shape(raw, OutputAllowances(links: true)) == InvisibleCharacters.strip(raw))
    }

    @Test("floods are cut: 500 emoji, 1000 × a, Zalgo; numbers, indentation and 0x literals are left whole")
    func floods() {
        #expect(shape("wow " + String(repeating: "🔥", count: 500) + " end") == "wow 🔥🔥🔥🔥🔥 end")
        let spaced = Array(repeating: "😀", count: 500).joined(separator: " ")
        #expect(shape(spaced + " ok") == "😀 😀 😀 😀 😀 ok")
        #expect(shape(String(repeating: "🇺🇸🎉", count: 4)) == "🇺🇸🎉🇺🇸🎉🇺🇸")
        #expect(shape(String(repeating: "a", count: 1000)) == String(repeating: "a", count: 10))
        #expect(shape("no" + String(repeating: "!", count: 50) + String(repeating: "\n", count: 40) + "x")
                == "no" + String(repeating: "!", count: 10) + String(repeating: "\n", count: 10) + "x")
        let numbers = "burn to 0x" + String(repeating: "0", count: 40) + ", 1000000000000 TAO, 0xffffffffffffffffffff"
            + "\n" + String(repeating: " ", count: 24) + "indented"
        #expect(shape(numbers) == numbers)
        let zalgo = "Z" + String(repeating: "\u{0336}", count: 300) + "algo"
        #expect(shape(zalgo).unicodeScalars.count == 1 + 8 + 4)
        let unlimited = OutputPolicyPlugin(limiter: .init(maxRepeat: 0, maxEmojiRun: 0))
        let flood = String(repeating: "a", count: 50) + String(repeating: "🔥", count: 50)
        #expect(unlimited.apply(flood, author: alice, allowances: .none) == flood)
    }

    @Test("the shape hook merges the platform's allowances with allow_links_on / allow_mentions_on")
    func perPlatform() {
        let plugin = OutputPolicyPlugin(allowLinksOn: [.discord], allowMentionsOn: [.telegram])
        func message(_ platform: Platform) -> InboundMessage {
            InboundMessage(platform: platform, id: "1", chat: ChatRef(id: "c", kind: .group), author: alice,
                           text: "q", addressedAs: .mention, createdAt: Date())
        }
        let answer = "see example.com, ask @someone"
        #expect(plugin.shape(reply: answer, for: message(.discord), context: ReplyContext())
                == "see example.com, ask @\u{2060}someone")
        #expect(plugin.shape(reply: answer, for: message(.telegram), context: ReplyContext())
                == "see example[.]com, ask @someone")
        #expect(plugin.shape(reply: answer, for: message(.twitter), context: ReplyContext(allowances: .init(links: true)))
                == "see example.com, ask @\u{2060}someone")
        #expect(plugin.shape(reply: answer, for: message(.twitter), context: ReplyContext())
                == "see example[.]com, ask @\u{2060}someone")
    }
}
