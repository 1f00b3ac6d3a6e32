/// Where an IP address from the metagraph (untrusted input) leads, judged from its bytes alone (a pure function: the
/// address is never contacted). Anything but `.public` is refused as a miner unless `allow_private_axons`: a miner
/// could otherwise point the bot at services on its own host or network.
public enum AddressScope: Sendable, Hashable, CustomStringConvertible {
    case `public`
    /// Not a public internet host; `why` says which range (`loopback`, `6to4 of 10.0.0.1`, …).
    case nonPublic(_ why: String)

    public var isPublic: Bool { self == .public }

    public var description: String {
        switch self {
        case .public: return "public"
        case .nonPublic(let why): return why
        }
    }

    /// The scope of 4 (IPv4) or 16 (IPv6) bytes; any other length is not an address anyone may dial.
    public static func of(_ bytes: [UInt8]) -> AddressScope {
        switch bytes.count {
        case 4: return ipv4(bytes[0], bytes[1], bytes[2], bytes[3])
        case 16: return ipv6(bytes)
        default: return .nonPublic("malformed address")
        }
    }

    static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> AddressScope {
        switch (a, b, c) {
        case (0, _, _): return .nonPublic("unspecified (0.0.0.0/8)")
        case (10, _, _): return .nonPublic("private (10.0.0.0/8)")
        case (127, _, _): return .nonPublic("loopback")
        case (100, 64...127, _): return .nonPublic("shared address space (100.64.0.0/10)")
        case (169, 254, _): return .nonPublic("link-local")
        case (172, 16...31, _): return .nonPublic("private (172.16.0.0/12)")
        case (192, 168, _): return .nonPublic("private (192.168.0.0/16)")
        case (192, 0, 0): return .nonPublic("IETF protocol assignments (192.0.0.0/24)")
        case (192, 0, 2), (198, 51, 100), (203, 0, 113): return .nonPublic("documentation")
        case (198, 18...19, _): return .nonPublic("benchmarking (198.18.0.0/15)")
        case (224...239, _, _): return .nonPublic("multicast")
        case (240...255, _, _): return .nonPublic("reserved or broadcast")
        default: return .public
        }
    }

    static func ipv6(_ bytes: [UInt8]) -> AddressScope {
        func embedded(_ offset: Int, xor mask: UInt8 = 0) -> (bytes: [UInt8], scope: AddressScope) {
            let four = bytes[offset..<(offset + 4)].map { $0 ^ mask }
            return (four, ipv4(four[0], four[1], four[2], four[3]))
        }
        func starts(_ prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        if zeros == 16 { return .nonPublic("unspecified (::)") }
        if zeros == 15 && bytes[15] == 1 { return .nonPublic("loopback") }
        if zeros >= 10 && bytes[10] == 0xff && bytes[11] == 0xff { return embedded(12).scope }  // ::ffff:a.b.c.d
        if zeros >= 12 { return .nonPublic("IPv4-compatible (::/96, deprecated)") }
        if bytes[0] == 0xff { return .nonPublic("multicast") }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return .nonPublic("link-local (fe80::/10)") }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return .nonPublic("site-local (fec0::/10, deprecated)") }
        if bytes[0] & 0xfe == 0xfc { return .nonPublic("unique local (fc00::/7)") }
        if starts([0x20, 0x01, 0x0d, 0xb8]) { return .nonPublic("documentation (2001:db8::/32)") }
        if starts([0x01, 0x00, 0, 0, 0, 0, 0, 0]) { return .nonPublic("discard-only (100::/64)") }
        if starts([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]) { return .nonPublic("local-use NAT64 (64:ff9b:1::/48)") }
        if starts([0x00, 0x64, 0xff, 0x9b]) && bytes[4..<12].allSatisfy({ $0 == 0 }) {
            let inner = embedded(12)
            return inner.scope.isPublic ? .public : .nonPublic("NAT64 of \(IPAddressText.format(inner.bytes))")
        }
        if starts([0x20, 0x02]) {  // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
            let inner = embedded(2)
            return inner.scope.isPublic ? .public : .nonPublic("6to4 of \(IPAddressText.format(inner.bytes))")
        }
        if starts([0x20, 0x01, 0x00, 0x00]) {  // Teredo: the server's IPv4, then the client's, inverted
            for inner in [embedded(4), embedded(12, xor: 0xff)] where !inner.scope.isPublic {
                return .nonPublic("Teredo of \(IPAddressText.format(inner.bytes))")
            }
            return .public
        }
        return .public
    }
}
