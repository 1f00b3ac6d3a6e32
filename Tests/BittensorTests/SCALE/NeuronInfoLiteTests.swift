import Foundation
import ReplyTensorTestSupport
import Testing
@testable import Bittensor

/// The oracle's JSON shape of a neuron.
func oracleJSON(_ neuron: NeuronInfoLite) -> [String: Any] {
    let ip = (UInt128(neuron.axon.ipHigh) << 64) | UInt128(neuron.axon.ipLow)
    return [
        "hotkey": Hex.encode(neuron.hotkey), "coldkey": Hex.encode(neuron.coldkey), "uid": Int(neuron.uid),
        "netuid": Int(neuron.netuid), "active": neuron.active,
        "axon": ["block": neuron.axon.block, "version": Int(neuron.axon.version), "ip": String(ip),
                 "port": Int(neuron.axon.port), "ip_type": Int(neuron.axon.ipType), "protocol": Int(neuron.axon.protocol)],
        "stake": neuron.stake.map { [Hex.encode($0.coldkey), $0.amount] as [Any] },
        "rank": Int(neuron.rank), "emission": neuron.emission, "incentive": Int(neuron.incentive),
        "consensus": Int(neuron.consensus), "trust": Int(neuron.trust), "validator_trust": Int(neuron.validatorTrust),
        "dividends": Int(neuron.dividends), "last_update": neuron.lastUpdate, "validator_permit": neuron.validatorPermit,
        "pruning_score": Int(neuron.pruningScore),
    ]
}

/// A deterministic neuron exercising every compact width and both address families (loopback only).
func sampleNeuron(_ uid: Int) -> NeuronInfoLite {
    let key = Array(SHA3_256.hash(Array("hotkey-\(uid)".utf8)))
    let cold = Array(SHA3_256.hash(Array("coldkey-\(uid)".utf8)))
    let ipv6 = uid % 3 == 2
    return NeuronInfoLite(
        hotkey: key, coldkey: cold, uid: UInt16(uid), netuid: 1, active: uid % 5 != 4,
        axon: AxonEndpoint(block: UInt64(4_000_000 + uid), version: 10_005_000, ipHigh: 0,
                           ipLow: ipv6 ? 1 : (uid % 3 == 1 ? 0 : 0x7f00_0001), port: UInt16(8000 + uid),
                           ipType: ipv6 ? 6 : 4, protocol: 4),
        stake: (0..<(uid % 3)).map { NeuronInfoLite.Stake(coldkey: cold, amount: UInt64($0 + 1) << (uid % 50)) },
        rank: UInt16(uid * 37 % 65536), emission: UInt64(uid) << (uid % 40), incentive: UInt16(uid * 641 % 65536),
        consensus: UInt16(uid * 13), trust: UInt16(uid % 64), validatorTrust: UInt16(uid * 3000 % 65536),
        dividends: UInt16(uid * 7), lastUpdate: UInt64(1 << 33) + UInt64(uid), validatorPermit: uid % 7 == 0,
        pruningScore: UInt16(65535 - uid))
}

@Suite struct NeuronInfoLiteTests {
    @Test func decodesTheVectorLikeScalecodec() throws {
        let example = try #require(Fixtures.vectors["neuron_info_lite_vec_example"] as? [String: Any])
        let bytes = Fixtures.bytes(example["hex"])
        let neurons = try NeuronInfoLite.decodeList(bytes)
        #expect(neurons.count == 1)
        let neuron = try #require(neurons.first)
        #expect(neuron.uid == 5 && neuron.netuid == 1 && neuron.active)
        #expect(neuron.axon.host == "1.2.3.4" && neuron.axon.port == 8091 && neuron.axon.ipType == 4)
        #expect(neuron.stake.first?.amount == 123_456_789_000)
        #expect(neuron.incentive == 65535 && neuron.pruningScore == 12345 && neuron.lastUpdate == 4_000_123)
        let oracle = try PythonOracle.run("scale_oracle.py", ["op": "decode", "hex": Hex.encode(bytes)])
        let theirs = try #require(oracle["neurons"] as? [[String: Any]])
        #expect(NSDictionary(dictionary: theirs[0]) == NSDictionary(dictionary: oracleJSON(neuron)))
        #expect(NeuronInfoLite.encodeList(neurons) == bytes)
    }

    @Test(arguments: [false, true])
    func decodesWhatThePyPICodecEncodes(wrapped: Bool) throws {
        let neurons = (0..<40).map(sampleNeuron)
        let oracle = try PythonOracle.run("scale_oracle.py", ["op": "encode", "wrapped": wrapped,
                                                              "neurons": neurons.map(oracleJSON)])
        let bytes = Fixtures.bytes(oracle["hex"])
        #expect(!bytes.isEmpty)
        let decoded = try NeuronInfoLite.decodeList(bytes)
        #expect(decoded == neurons)
        #expect(NeuronInfoLite.encodeList(neurons, wrapped: wrapped) == bytes)
    }

    @Test func malformedInputIsAnErrorNeverACrash() throws {
        let good = NeuronInfoLite.encodeList((0..<3).map(sampleNeuron))
        // Every truncation.
        for length in 0..<good.count {
            #expect(throws: ScaleError.self) { try NeuronInfoLite.decodeList(Array(good[0..<length])) }
        }
        // Trailing garbage, a bad bool, a huge vector length, a compact wider than 64 bits.
        #expect(throws: ScaleError.self) { try NeuronInfoLite.decodeList(good + [0]) }
        var badBool = good
        badBool[1 + 32 + 32 + 2] = 7
        #expect(throws: ScaleError.self) { try NeuronInfoLite.decodeList(badBool) }
        #expect(throws: ScaleError.self) { try NeuronInfoLite.decodeList([0xfe, 0xff, 0xff, 0xff]) }
        #expect(throws: ScaleError.self) { try NeuronInfoLite.decodeList([0xff] + [UInt8](repeating: 0xff, count: 67)) }
        // Random bytes: errors or values, never a trap.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var noise = good
            for _ in 0..<4 { noise[Int.random(in: 0..<noise.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? NeuronInfoLite.decodeList(noise)
        }
    }

    @Test func compactIntegersRoundTrip() throws {
        for value: UInt64 in [0, 1, 63, 64, 16383, 16384, 1 << 30 - 1, 1 << 30, 1 << 32, UInt64.max] {
            var encoder = ScaleEncoder()
            encoder.compact(value)
            var decoder = ScaleDecoder(encoder.bytes)
            #expect(try decoder.compact() == value)
            #expect(decoder.isAtEnd)
        }
    }

    @Test func addressesClassifyAndFormat() {
        #expect(IPAddressText.format([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(IPAddressText.format([127, 0, 0, 1]) == "127.0.0.1")
        #expect(IPAddressText.isNonPublic([127, 0, 0, 1]))
        #expect(IPAddressText.isNonPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(IPAddressText.isNonPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]))
        #expect(IPAddressText.isNonPublic([0, 0, 0, 0]))
        let v6Loopback = AxonEndpoint(ipLow: 1, port: 1, ipType: 6)
        #expect(v6Loopback.host == "::1", "ip_type is authoritative: ::1 is not 0.0.0.1")
        #expect(AxonEndpoint(ipLow: 0, port: 8091, ipType: 4).isServing == false)
    }
}
