/// The part of STROBE-128 (v1.0.2) that Merlin transcripts use: `meta_ad`, `ad`, `prf`, `key`.
struct Strobe128 {
    private static let rate = 166
    private static let flagI: UInt8 = 1, flagA: UInt8 = 1 << 1, flagC: UInt8 = 1 << 2, flagT: UInt8 = 1 << 3
    private static let flagM: UInt8 = 1 << 4, flagK: UInt8 = 1 << 5

    private var state: [UInt8]
    private var position = 0
    private var positionBegin: UInt8 = 0
    private var currentFlags: UInt8 = 0

    init(protocolLabel: [UInt8]) {
        var initial = [UInt8](repeating: 0, count: 200)
        let header: [UInt8] = [1, UInt8(Self.rate + 2), 1, 0, 1, 96] + Array("STROBEv1.0.2".utf8)
        initial.replaceSubrange(0..<header.count, with: header)
        Keccak.permute(bytes: &initial)
        state = initial
        metaAD(protocolLabel, more: false)
    }

    mutating func metaAD(_ data: [UInt8], more: Bool) {
        beginOperation(Self.flagM | Self.flagA, more: more)
        absorb(data)
    }

    mutating func ad(_ data: [UInt8], more: Bool) {
        beginOperation(Self.flagA, more: more)
        absorb(data)
    }

    mutating func prf(count: Int, more: Bool) -> [UInt8] {
        beginOperation(Self.flagI | Self.flagA | Self.flagC, more: more)
        return squeeze(count)
    }

    mutating func key(_ data: [UInt8], more: Bool) {
        beginOperation(Self.flagA | Self.flagC, more: more)
        overwrite(data)
    }

    private mutating func runF() {
        state[position] ^= positionBegin
        state[position + 1] ^= 0x04
        state[Self.rate + 1] ^= 0x80
        Keccak.permute(bytes: &state)
        position = 0
        positionBegin = 0
    }

    private mutating func absorb(_ data: [UInt8]) {
        for byte in data {
            state[position] ^= byte
            position += 1
            if position == Self.rate { runF() }
        }
    }

    private mutating func overwrite(_ data: [UInt8]) {
        for byte in data {
            state[position] = byte
            position += 1
            if position == Self.rate { runF() }
        }
    }

    private mutating func squeeze(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            out[index] = state[position]
            state[position] = 0
            position += 1
            if position == Self.rate { runF() }
        }
        return out
    }

    private mutating func beginOperation(_ flags: UInt8, more: Bool) {
        if more {
            precondition(currentFlags == flags, "STROBE: continued an operation with different flags")
            return
        }
        precondition(flags & Self.flagT == 0, "STROBE: transport operations are not supported")
        let oldBegin = positionBegin
        positionBegin = UInt8(position + 1)
        currentFlags = flags
        absorb([oldBegin, flags])
        if flags & (Self.flagC | Self.flagK) != 0 && position != 0 { runF() }
    }
}
