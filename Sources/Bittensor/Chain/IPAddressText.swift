/// Formats and classifies addresses from the metagraph (untrusted input).
public enum IPAddressText {
    /// `1.2.3.4` for 4 bytes; RFC 5952 style for 16 bytes (`::1`, `::ffff:127.0.0.1` kept as hex groups).
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // The longest run of zero groups (length ≥ 2) becomes "::".
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength && end - index >= 2 { bestStart = index; bestLength = end - index }
                index = end
            } else { index += 1 }
        }
        func hex(_ range: Range<Int>) -> String { range.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Loopback, private, link-local, multicast, unspecified, CGNAT or reserved: not a public internet host.
    /// IPv4-mapped IPv6 counts as the IPv4 address it maps to.
    public static func isNonPublic(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 16 {
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return isNonPublic(Array(bytes[12..<16]))
            }
            if bytes.allSatisfy({ $0 == 0 }) { return true }  // ::
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
            if bytes[0..<12].allSatisfy({ $0 == 0 }) { return true }  // IPv4-compatible (deprecated)
            if bytes[0] == 0xff { return true }  // multicast
            if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
            if bytes[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique local
            if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8 { return true }  // doc
            if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b { return true }  // NAT64
            return false
        }
        guard bytes.count == 4 else { return true }
        let (a, b) = (bytes[0], bytes[1])
        switch a {
        case 0, 10, 127: return true
        case 100 where b & 0xc0 == 64: return true  // 100.64.0.0/10
        case 169 where b == 254: return true
        case 172 where (16...31).contains(b): return true
        case 192 where b == 168: return true
        case 192 where b == 0 && bytes[2] == 0: return true  // 192.0.0.0/24
        case 198 where b == 18 || b == 19: return true
        case 224...255: return true  // multicast, reserved, broadcast
        default: return false
        }
    }
}
