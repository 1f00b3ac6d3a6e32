/// An axon's endpoint as the chain stores it.
public struct AxonEndpoint: Sendable, Hashable, Codable {
    public var block: UInt64
    public var version: UInt32
    /// The address as a 128-bit integer (IPv4 in the low 32 bits), as (high, low).
    public var ipHigh: UInt64
    public var ipLow: UInt64
    public var port: UInt16
    /// 4 or 6: authoritative for the address family.
    public var ipType: UInt8
    public var `protocol`: UInt8

    public init(block: UInt64 = 0, version: UInt32 = 0, ipHigh: UInt64 = 0, ipLow: UInt64, port: UInt16,
                ipType: UInt8, protocol: UInt8 = 4) {
        self.block = block
        self.version = version
        self.ipHigh = ipHigh
        self.ipLow = ipLow
        self.port = port
        self.ipType = ipType
        self.protocol = `protocol`
    }

    /// Whether an address is set (ip 0 means not serving).
    public var isServing: Bool { (ipHigh != 0 || ipLow != 0) && port != 0 }

    /// The address bytes, big-endian: 4 for IPv4, 16 for IPv6; nil for an unknown type or an IPv4 that overflows.
    public var addressBytes: [UInt8]? {
        switch ipType {
        case 4:
            guard ipHigh == 0, ipLow <= UInt64(UInt32.max) else { return nil }
            return (0..<4).map { UInt8(truncatingIfNeeded: ipLow >> (8 * UInt64(3 - $0))) }
        case 6:
            return (0..<8).map { UInt8(truncatingIfNeeded: ipHigh >> (8 * UInt64(7 - $0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: ipLow >> (8 * UInt64(7 - $0))) }
        default:
            return nil
        }
    }

    /// The textual host (`1.2.3.4` or `::1` style), nil when the address is unusable.
    public var host: String? { addressBytes.map(IPAddressText.format) }
}

/// One neuron of `NeuronInfoRuntimeApi_get_neurons_lite`.
public struct NeuronInfoLite: Sendable, Hashable, Codable {
    public var hotkey: [UInt8]
    public var coldkey: [UInt8]
    public var uid: UInt16
    public var netuid: UInt16
    public var active: Bool
    public var axon: AxonEndpoint
    /// (coldkey, stake in rao) pairs.
    public var stake: [Stake]
    public var rank: UInt16
    public var emission: UInt64
    public var incentive: UInt16
    public var consensus: UInt16
    public var trust: UInt16
    public var validatorTrust: UInt16
    public var dividends: UInt16
    public var lastUpdate: UInt64
    public var validatorPermit: Bool
    public var pruningScore: UInt16

    public struct Stake: Sendable, Hashable, Codable {
        public var coldkey: [UInt8]
        public var amount: UInt64
        public init(coldkey: [UInt8], amount: UInt64) {
            self.coldkey = coldkey
            self.amount = amount
        }
    }

    public init(hotkey: [UInt8], coldkey: [UInt8], uid: UInt16, netuid: UInt16, active: Bool, axon: AxonEndpoint,
                stake: [Stake], rank: UInt16, emission: UInt64, incentive: UInt16, consensus: UInt16, trust: UInt16,
                validatorTrust: UInt16, dividends: UInt16, lastUpdate: UInt64, validatorPermit: Bool,
                pruningScore: UInt16) {
        self.hotkey = hotkey
        self.coldkey = coldkey
        self.uid = uid
        self.netuid = netuid
        self.active = active
        self.axon = axon
        self.stake = stake
        self.rank = rank
        self.emission = emission
        self.incentive = incentive
        self.consensus = consensus
        self.trust = trust
        self.validatorTrust = validatorTrust
        self.dividends = dividends
        self.lastUpdate = lastUpdate
        self.validatorPermit = validatorPermit
        self.pruningScore = pruningScore
    }

    public var hotkeyAddress: String { SS58.encode(hotkey) }
    /// Incentive as a fraction (u16 / 65535).
    public var incentiveFraction: Double { Double(incentive) / 65535 }

    /// The smallest encoding of one neuron, used to bound vector lengths.
    static let minimumEncodedSize = 32 + 32 + 1 + 1 + 1 + 34 + 31 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1

    public static func decode(_ decoder: inout ScaleDecoder) throws -> NeuronInfoLite {
        let hotkey = try decoder.bytes(32)
        let coldkey = try decoder.bytes(32)
        let uid = try decoder.compact(UInt16.self)
        let netuid = try decoder.compact(UInt16.self)
        let active = try decoder.bool()
        let block = try decoder.u64()
        let version = try decoder.u32()
        let ip = try decoder.u128()
        let port = try decoder.u16()
        let ipType = try decoder.u8()
        let proto = try decoder.u8()
        _ = try decoder.bytes(2)  // placeholder1, placeholder2
        _ = try decoder.bytes(8 + 4 + 16 + 2 + 1)  // prometheus_info
        let stake = try decoder.vector(minimumElementSize: 33) { decoder in
            Stake(coldkey: try decoder.bytes(32), amount: try decoder.compact())
        }
        return NeuronInfoLite(
            hotkey: hotkey, coldkey: coldkey, uid: uid, netuid: netuid, active: active,
            axon: AxonEndpoint(block: block, version: version, ipHigh: ip.high, ipLow: ip.low, port: port,
                               ipType: ipType, protocol: proto),
            stake: stake, rank: try decoder.compact(UInt16.self), emission: try decoder.compact(),
            incentive: try decoder.compact(UInt16.self), consensus: try decoder.compact(UInt16.self),
            trust: try decoder.compact(UInt16.self), validatorTrust: try decoder.compact(UInt16.self),
            dividends: try decoder.compact(UInt16.self), lastUpdate: try decoder.compact(),
            validatorPermit: try decoder.bool(), pruningScore: try decoder.compact(UInt16.self))
    }

    /// Decodes the answer of `NeuronInfoRuntimeApi_get_neurons_lite`: a `Vec<NeuronInfoLite>`, or (runtimes before
    /// February 2025) the same wrapped in a `Vec<u8>`. Trailing bytes are an error.
    public static func decodeList(_ bytes: [UInt8]) throws -> [NeuronInfoLite] {
        do {
            return try decodeVector(bytes)
        } catch let direct {
            // The wrapped layout: a compact byte length equal to what follows.
            var decoder = ScaleDecoder(bytes)
            if let length = try? decoder.compact(), length == UInt64(decoder.remaining) {
                return try decodeVector(try decoder.bytes(Int(length)))
            }
            throw direct
        }
    }

    private static func decodeVector(_ bytes: [UInt8]) throws -> [NeuronInfoLite] {
        var decoder = ScaleDecoder(bytes)
        let neurons = try decoder.vector(minimumElementSize: minimumEncodedSize) { try decode(&$0) }
        guard decoder.isAtEnd else { throw ScaleError("\(decoder.remaining) trailing bytes after the neuron list") }
        return neurons
    }
}
