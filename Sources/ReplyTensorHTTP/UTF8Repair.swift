import Foundation

extension Data {
    /// These bytes with every invalid UTF-8 sequence replaced by U+FFFD, or nil when they are valid UTF-8 already.
    /// A platform answer with a few bad bytes is repaired (and counted) rather than dropped with everything in it.
    public var repairedUTF8: Data? {
        String(data: self, encoding: .utf8) == nil ? Data(String(decoding: self, as: UTF8.self).utf8) : nil
    }
}
