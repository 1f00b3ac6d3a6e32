import Foundation
import Hummingbird

/// Answers are built from Swift strings, which are always valid UTF-8. To send bytes that are not UTF-8, a test puts
/// `marker` in a message; the emulators' answer writers put `bytes` on the wire in its place.
public enum InvalidUTF8 {
    public static let marker = "\u{10FFFD}not-utf8\u{10FFFD}"
    /// A lone continuation byte, a truncated sequence and a byte UTF-8 never uses.
    public static let bytes: [UInt8] = [0x80, 0xC3, 0x28, 0xFF]

    /// The answer body: `text` as UTF-8, with every marker replaced by `bytes`.
    static func buffer(_ text: String) -> ByteBuffer {
        guard text.contains(marker) else { return ByteBuffer(string: text) }
        var out: [UInt8] = []
        for (index, piece) in text.components(separatedBy: marker).enumerated() {
            if index > 0 { out += bytes }
            out += Array(piece.utf8)
        }
        return ByteBuffer(bytes: out)
    }
}
