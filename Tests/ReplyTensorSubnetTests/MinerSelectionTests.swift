import Bittensor
import Foundation
import ReplyTensorEmulators
import ReplyTensorSubnet
import Testing

/// Miner selection is pure: the metagraph's addresses below are literals that are never contacted.
@Suite struct MinerSelectionTests {
    static func neuron(_ uid: UInt16, _ host: String) -> NeuronInfoLite {
        var neuron = SubtensorEmulator.neuron(uid: uid, hotkey: [UInt8](repeating: UInt8(uid + 1), count: 32),
                                              host: "8.8.8.8", port: 8091)
        let bytes = bytes(host)
        if bytes.count == 4 {
            neuron.axon = AxonEndpoint(ipLow: bytes.reduce(0) { $0 << 8 | UInt64($1) }, port: 8091, ipType: 4)
        } else {
            let high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
            neuron.axon = AxonEndpoint(ipHigh: high, ipLow: low, port: 8091, ipType: 6)
        }
        return neuron
    }

    static func bytes(_ text: String) -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        _ = inet_pton(AF_INET6, text, &v6)
        return withUnsafeBytes(of: v6) { Array($0) }
    }

    @Test func hostileIPv6FormsAndTheHostsOwnAddressAreRefusedUnlessAllowed() {
        let neurons = [
            Self.neuron(0, "8.8.8.8"),                 // public: chosen
            Self.neuron(1, "2002:c0a8:0101::1"),      // 6to4 of 192.168.1.1
            Self.neuron(2, "2001:0:4136:e378:8000:63bf:80ff:fffe"),  // Teredo of 127.0.0.1
            Self.neuron(3, "64:ff9b::a00:1"),         // NAT64 of 10.0.0.1
            Self.neuron(4, "fec0::1"),                // site-local
            Self.neuron(5, "1.1.1.1"),                // "this host" below
            Self.neuron(6, "::ffff:1.1.1.1"),         // the same host, IPv4-mapped
            Self.neuron(7, "2606:4700::1111"),        // public IPv6: chosen
        ]
        let host: Set<[UInt8]> = [Self.bytes("1.1.1.1")]
        let strict = MinerSelection.candidates(from: neurons, allowPrivate: false, hostAddresses: host)
        #expect(strict.candidates.map(\.uid).sorted() == [0, 7])
        #expect(strict.skipped == ["private address": 4, "own address": 2])
        let allowed = MinerSelection.candidates(from: neurons, allowPrivate: true, hostAddresses: host)
        #expect(allowed.candidates.count == neurons.count)
    }

    @Test func theHostsAddressesFromItsInterfacesAreAllPublic() {
        for address in HostAddresses.publicAddresses() {
            #expect(AddressScope.of(address).isPublic, "\(IPAddressText.format(address))")
            #expect(address.count == 4 || address.count == 16)
        }
    }
}
