/// A Merlin transcript (merlin.cool): STROBE-128 with length-framed, labelled messages.
public struct MerlinTranscript: Sendable {
    private var strobe: Strobe128

    public init(label: String) { self.init(label: Array(label.utf8)) }

    public init(label: [UInt8]) {
        strobe = Strobe128(protocolLabel: Array("Merlin v1.0".utf8))
        append(label: Array("dom-sep".utf8), message: label)
    }

    public mutating func append(label: String, message: [UInt8]) { append(label: Array(label.utf8), message: message) }

    public mutating func append(label: [UInt8], message: [UInt8]) {
        strobe.metaAD(label, more: false)
        strobe.metaAD(Self.lengthBytes(message.count), more: true)
        strobe.ad(message, more: false)
    }

    public mutating func challengeBytes(label: String, count: Int) -> [UInt8] {
        let labelBytes = Array(label.utf8)
        strobe.metaAD(labelBytes, more: false)
        strobe.metaAD(Self.lengthBytes(count), more: true)
        return strobe.prf(count: count, more: false)
    }

    private static func lengthBytes(_ count: Int) -> [UInt8] {
        let value = UInt32(truncatingIfNeeded: count)
        return [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }
}
