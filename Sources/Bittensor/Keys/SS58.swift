/// SS58 addresses (substrate): base58 of `prefix ‖ public key ‖ checksum`, checksum = the first two bytes of
/// BLAKE2b-512("SS58PRE" ‖ prefix ‖ public key). Only one-byte prefixes (0…63) are supported.
public enum SS58 {
    public static let genericPrefix: UInt8 = 42

    public static func encode(_ publicKey: [UInt8], prefix: UInt8 = genericPrefix) -> String {
        let payload = [prefix] + publicKey
        return Base58.encode(payload + checksum(payload))
    }

    /// Decodes an address into its public key, validating the checksum and the length.
    public static func decode(_ address: String) throws -> (publicKey: [UInt8], prefix: UInt8) {
        guard let raw = Base58.decode(address) else { throw KeyError("not a base58 SS58 address") }
        guard raw.count == 35, raw[0] < 64 else { throw KeyError("not a 32-byte SS58 account address") }
        let payload = Array(raw[0..<33])
        guard Array(raw[33..<35]) == checksum(payload) else { throw KeyError("SS58 checksum mismatch") }
        return (Array(raw[1..<33]), raw[0])
    }

    private static func checksum(_ payload: [UInt8]) -> [UInt8] {
        Array(Sodium.blake2b(Array("SS58PRE".utf8) + payload, outputLength: 64)[0..<2])
    }
}

/// Base58 with the Bitcoin alphabet.
enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var digits: [UInt8] = []  // base58 digits, little-endian
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count < 128 else { return nil }
        var bytes: [UInt8] = []  // little-endian
        for character in text.utf8 {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            var carry = value
            for index in bytes.indices {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        let zeros = text.utf8.prefix { $0 == alphabet[0] }.count
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }
}
