import Foundation
import Testing
@testable import Bittensor

/// The classifier is a pure function of the address bytes: these literal addresses are never contacted.
@Suite struct AddressScopeTests {
    /// The bytes of an IPv4 or IPv6 literal.
    static func bytes(_ text: String) -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { Issue.record("not an address: \(text)"); return [] }
        return withUnsafeBytes(of: v6) { Array($0) }
    }

    static func scope(_ text: String) -> AddressScope { AddressScope.of(bytes(text)) }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "192.0.1.1", "198.20.0.1", "223.255.255.255",
                      "2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8",
                      "2002:0808:0808::1", "64:ff9b::808:808", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"])
    func publicAddresses(_ address: String) {
        #expect(Self.scope(address) == .public, "\(address)")
    }

    @Test(arguments: [
        // IPv4: unspecified, private, loopback, CGNAT, link-local, IETF, documentation, benchmarking, multicast, reserved
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "127.0.0.1", "127.255.0.9", "100.64.0.1", "100.127.255.255", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.168.1.1", "192.0.0.8", "192.0.2.1", "198.51.100.7", "203.0.113.9",
        "198.18.0.1", "198.19.255.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IPv6: unspecified, loopback, IPv4-mapped and -compatible forms, multicast, link-local, site-local, ULA, doc
        "::", "::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::10.0.0.1", "ff02::1",
        "fe80::1", "febf::1", "fec0::1", "feff::1", "fc00::1", "fd12:3456::1", "2001:db8::1", "100::1",
        // 6to4 (2002::/16) carrying a private IPv4 in bytes 2-5
        "2002:0a00:0001::1", "2002:7f00:0001::", "2002:c0a8:0101:1::1", "2002:a9fe:a9fe::1", "2002::1",
        // Teredo (2001::/32): a private server IPv4, or a private client IPv4 (stored inverted in the last 4 bytes)
        "2001:0:0a00:0001::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:4136:e378:8000:63bf:f5ff:fefe",
        // NAT64 (64:ff9b::/96) of a private IPv4, and the local-use NAT64 prefix
        "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::c0a8:101", "64:ff9b:1::808:808",
    ])
    func nonPublicAddresses(_ address: String) {
        #expect(Self.scope(address) != .public, "\(address)")
        #expect(IPAddressText.isNonPublic(Self.bytes(address)), "\(address)")
    }

    @Test func reasonsNameTheRangeAndTheEmbeddedAddress() {
        #expect(Self.scope("127.0.0.1") == .nonPublic("loopback"))
        #expect(Self.scope("2002:0a00:0001::1") == .nonPublic("6to4 of 10.0.0.1"))
        #expect(Self.scope("2001:0:4136:e378:8000:63bf:80ff:fffe") == .nonPublic("Teredo of 127.0.0.1"))
        #expect(Self.scope("64:ff9b::c0a8:101") == .nonPublic("NAT64 of 192.168.1.1"))
        #expect(Self.scope("fec0::1") == .nonPublic("site-local (fec0::/10, deprecated)"))
    }

    @Test func malformedLengthsAreNeverPublic() {
        #expect(AddressScope.of([]) != .public)
        #expect(AddressScope.of([8, 8, 8]) != .public)
        #expect(AddressScope.of([UInt8](repeating: 8, count: 5)) != .public)
    }
}
