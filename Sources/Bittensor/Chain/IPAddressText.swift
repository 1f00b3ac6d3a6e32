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

    /// Not a public internet host (see `AddressScope`): loopback, private, link-local, multicast, unspecified, CGNAT,
    /// reserved, and IPv6 forms that lead to such an IPv4 (mapped, 6to4, Teredo, NAT64).
    public static func isNonPublic(_ bytes: [UInt8]) -> Bool { !AddressScope.of(bytes).isPublic }
}
