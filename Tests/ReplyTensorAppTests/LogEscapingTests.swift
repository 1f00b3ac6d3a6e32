import Foundation
import Logging
import ReplyTensorApp
import Testing

@Suite("Text logs cannot be forged")
struct LogEscapingTests {
    @Test("newlines and control characters from input are escaped in text lines, kept intact in JSON")
    func controlCharactersAreEscaped() throws {
        let hostile = "alice\nINFO replytensor: forged line\r\u{1B}[31mred\u{7}\u{85}\u{2028}\u{202E}txt\\n"
        for format in [RedactingLogHandler.Format.text, .json] {
            let output = LogOutput(toStandardError: false)
            let logger = Logger(label: "test") { label in
                RedactingLogHandler(label: label, format: format, secrets: [], logLevel: .info, output: output)
            }
            logger.info("mention from \(hostile)", metadata: ["author": "\(hostile)", "mention.id": ["a\nb"]])
            let line = try #require(output.captured.first)
            #expect(output.captured.count == 1)
            if format == .text {
                let forbidden: [Unicode.Scalar] = ["\n", "\r", "\u{1B}", "\u{7}", "\u{85}", "\u{2028}", "\u{202E}"]
                #expect(!line.unicodeScalars.contains { forbidden.contains($0) })
                #expect(line.contains(#"mention from alice\nINFO replytensor: forged line\r\u{1B}[31mred\u{7}\u{85}\u{2028}\u{202E}txt\\n"#))
                #expect(line.contains(#"author=alice\nINFO"#))
                #expect(line.contains(#"mention.id=[a\nb]"#))
            } else {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["author"] as? String == hostile)
                #expect(object["message"] as? String == "mention from \(hostile)")
            }
        }
    }

    @Test("plain text is left as it is")
    func plainTextUnchanged() {
        #expect(LogLineEscaping.escaped("@alice: ünïcödé 👋 ok") == "@alice: ünïcödé 👋 ok")
        #expect(LogLineEscaping.escaped("tab\there") == #"tab\there"#)
    }
}
