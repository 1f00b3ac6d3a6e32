/// A SCALE (parity-scale-codec) reader over untrusted bytes: every read is bounds-checked and throws, never traps.
public struct ScaleDecoder {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw ScaleError("needed \(count) bytes at offset \(offset), \(remaining) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func u8() throws -> UInt8 { try bytes(1)[0] }
    public mutating func u16() throws -> UInt16 { UInt16(truncatingIfNeeded: try littleEndian(2)) }
    public mutating func u32() throws -> UInt32 { UInt32(truncatingIfNeeded: try littleEndian(4)) }
    public mutating func u64() throws -> UInt64 { try littleEndian(8) }

    /// A u128, returned as (high, low) 64-bit halves.
    public mutating func u128() throws -> (high: UInt64, low: UInt64) {
        let low = try littleEndian(8)
        return (try littleEndian(8), low)
    }

    public mutating func bool() throws -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw ScaleError("invalid bool byte \(other) at offset \(offset - 1)")
        }
    }

    /// A compact integer up to 64 bits (bigger ones are an error).
    public mutating func compact() throws -> UInt64 {
        let first = try u8()
        switch first & 0b11 {
        case 0: return UInt64(first >> 2)
        case 1: return (UInt64(first) | UInt64(try u8()) << 8) >> 2
        case 2:
            let rest = try bytes(3)
            return (UInt64(first) | UInt64(rest[0]) << 8 | UInt64(rest[1]) << 16 | UInt64(rest[2]) << 24) >> 2
        default:
            let length = Int(first >> 2) + 4
            guard length <= 8 else { throw ScaleError("compact integer of \(length) bytes exceeds 64 bits") }
            return try littleEndian(length)
        }
    }

    /// A compact integer that must fit `T`.
    public mutating func compact<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value = try compact()
        guard let converted = T(exactly: value) else { throw ScaleError("compact value \(value) does not fit \(T.self)") }
        return converted
    }

    /// A vector length, checked against the bytes left (each element takes at least `minimumElementSize`).
    public mutating func length(minimumElementSize: Int = 1) throws -> Int {
        let count = try compact()
        guard count <= UInt64(remaining / max(1, minimumElementSize)) else {
            throw ScaleError("vector of \(count) elements cannot fit in \(remaining) bytes")
        }
        return Int(count)
    }

    /// `Vec<T>` decoded with `element`.
    public mutating func vector<T>(minimumElementSize: Int = 1, _ element: (inout ScaleDecoder) throws -> T) throws -> [T] {
        let count = try length(minimumElementSize: minimumElementSize)
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    private mutating func littleEndian(_ count: Int) throws -> UInt64 {
        let raw = try bytes(count)
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }
}

/// Malformed or truncated SCALE data.
public struct ScaleError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
