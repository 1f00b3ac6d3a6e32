/// The SCALE writer the subtensor emulator and the benchmarks use (the inverse of `ScaleDecoder`).
public struct ScaleEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func append(_ raw: [UInt8]) { bytes += raw }
    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        for index in 0..<(T.bitWidth / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    public mutating func compact(_ value: UInt64) {
        switch value {
        case 0..<(1 << 6): bytes.append(UInt8(value) << 2)
        case (1 << 6)..<(1 << 14): littleEndian(UInt16(value) << 2 | 1)
        case (1 << 14)..<(1 << 30): littleEndian(UInt32(value) << 2 | 2)
        default:
            var raw: [UInt8] = []
            var rest = value
            while rest > 0 { raw.append(UInt8(truncatingIfNeeded: rest)); rest >>= 8 }
            bytes.append(UInt8(raw.count - 4) << 2 | 3)
            bytes += raw
        }
    }
}

extension NeuronInfoLite {
    public func encode(into encoder: inout ScaleEncoder) {
        encoder.append(hotkey)
        encoder.append(coldkey)
        encoder.compact(UInt64(uid))
        encoder.compact(UInt64(netuid))
        encoder.bool(active)
        encoder.littleEndian(axon.block)
        encoder.littleEndian(axon.version)
        encoder.littleEndian(axon.ipLow)
        encoder.littleEndian(axon.ipHigh)
        encoder.littleEndian(axon.port)
        encoder.u8(axon.ipType)
        encoder.u8(axon.protocol)
        encoder.append([0, 0])
        encoder.append([UInt8](repeating: 0, count: 31))
        encoder.compact(UInt64(stake.count))
        for entry in stake {
            encoder.append(entry.coldkey)
            encoder.compact(entry.amount)
        }
        for value in [UInt64(rank), emission, UInt64(incentive), UInt64(consensus), UInt64(trust),
                      UInt64(validatorTrust), UInt64(dividends), lastUpdate] { encoder.compact(value) }
        encoder.bool(validatorPermit)
        encoder.compact(UInt64(pruningScore))
    }

    /// A `Vec<NeuronInfoLite>`; `wrapped` adds the older `Vec<u8>` envelope.
    public static func encodeList(_ neurons: [NeuronInfoLite], wrapped: Bool = false) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.compact(UInt64(neurons.count))
        for neuron in neurons { neuron.encode(into: &encoder) }
        guard wrapped else { return encoder.bytes }
        var outer = ScaleEncoder()
        outer.compact(UInt64(encoder.bytes.count))
        outer.append(encoder.bytes)
        return outer.bytes
    }
}
