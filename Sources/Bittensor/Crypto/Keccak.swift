/// The Keccak-f[1600] permutation (FIPS 202), on a 200-byte state of 25 little-endian lanes.
enum Keccak {
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    ]

    /// Applies Keccak-f[1600] to 25 lanes in place.
    static func permute(_ a: inout [UInt64]) {
        var c = [UInt64](repeating: 0, count: 5)
        var b = [UInt64](repeating: 0, count: 25)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[y + x] ^= d }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    let index = x + 5 * y
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[index], rotations[index])
                }
            }
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]) }
            }
            a[0] ^= roundConstants[round]
        }
    }

    /// Applies Keccak-f[1600] to a 200-byte state in place.
    static func permute(bytes state: inout [UInt8]) {
        var lanes = [UInt64](repeating: 0, count: 25)
        for i in 0..<25 {
            var lane: UInt64 = 0
            for j in 0..<8 { lane |= UInt64(state[i * 8 + j]) << (8 * UInt64(j)) }
            lanes[i] = lane
        }
        permute(&lanes)
        for i in 0..<25 {
            for j in 0..<8 { state[i * 8 + j] = UInt8(truncatingIfNeeded: lanes[i] >> (8 * UInt64(j))) }
        }
    }

    @inline(__always) private static func rotl(_ value: UInt64, _ count: UInt64) -> UInt64 {
        count == 0 ? value : (value << count) | (value >> (64 - count))
    }
}

/// SHA3-256 (FIPS 202, domain byte 0x06 — not the pre-standard Keccak-256).
public enum SHA3_256 {
    public static func hash<Bytes: Sequence>(_ input: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let rate = 136
        var state = [UInt8](repeating: 0, count: 200)
        var position = 0
        for byte in input {
            state[position] ^= byte
            position += 1
            if position == rate {
                Keccak.permute(bytes: &state)
                position = 0
            }
        }
        state[position] ^= 0x06
        state[rate - 1] ^= 0x80
        Keccak.permute(bytes: &state)
        return Array(state[0..<32])
    }

    /// Lowercase hex of the SHA3-256 of the UTF-8 of `text` (bittensor's `get_hash`).
    public static func hex(_ text: String) -> String { Hex.encode(hash(Array(text.utf8))) }
}
