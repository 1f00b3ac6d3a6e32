import Foundation

/// BIP-39 English mnemonics and substrate-bip39's seed derivation (the entropy, not the phrase, is the password).
public enum Mnemonic {
    /// The 2048-word English list, loaded from the module's resources.
    public static let words: [String] = {
        guard let url = Bundle.module.url(forResource: "bip39-english", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }()

    private static let index: [String: Int] = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })

    /// The entropy of a phrase, validating the words, the length (12…24 words, multiple of 3) and the checksum.
    public static func entropy(of phrase: String) throws -> [UInt8] {
        guard words.count == 2048 else { throw KeyError("the BIP-39 word list is missing from the build") }
        let list = phrase.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard [12, 15, 18, 21, 24].contains(list.count) else {
            throw KeyError("a mnemonic has 12, 15, 18, 21 or 24 words, got \(list.count)")
        }
        var bits: [Bool] = []
        for (position, word) in list.enumerated() {
            guard let value = index[word] else { throw KeyError("word \(position + 1) is not in the BIP-39 English list") }
            for shift in stride(from: 10, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
        }
        let checksumBits = bits.count / 33
        let entropyBits = bits.count - checksumBits
        var entropy = [UInt8](repeating: 0, count: entropyBits / 8)
        for bit in 0..<entropyBits where bits[bit] { entropy[bit / 8] |= 0x80 >> UInt8(bit % 8) }
        let hash = Sodium.sha256(entropy)
        for bit in 0..<checksumBits where bits[entropyBits + bit] != ((hash[bit / 8] << UInt8(bit % 8)) & 0x80 != 0) {
            throw KeyError("the mnemonic's checksum does not match")
        }
        return entropy
    }

    /// The phrase for `entropy` (16…32 bytes, a multiple of 4).
    public static func phrase(for entropy: [UInt8]) throws -> String {
        guard words.count == 2048 else { throw KeyError("the BIP-39 word list is missing from the build") }
        guard (16...32).contains(entropy.count), entropy.count % 4 == 0 else {
            throw KeyError("entropy is 16 to 32 bytes, a multiple of 4")
        }
        var bits: [Bool] = []
        for byte in entropy { for shift in stride(from: 7, through: 0, by: -1) { bits.append(byte >> UInt8(shift) & 1 == 1) } }
        let hash = Sodium.sha256(entropy)
        for bit in 0..<(entropy.count * 8 / 32) { bits.append((hash[bit / 8] << UInt8(bit % 8)) & 0x80 != 0) }
        return stride(from: 0, to: bits.count, by: 11).map { start in
            words[bits[start..<start + 11].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }]
        }.joined(separator: " ")
    }

    /// A fresh 12-word phrase.
    public static func generate(wordCount: Int = 12) throws -> String {
        try phrase(for: Sodium.randomBytes(wordCount * 4 / 3))
    }

    /// substrate-bip39's 64-byte seed: PBKDF2-HMAC-SHA512(entropy, "mnemonic" + password, 2048).
    public static func seed(entropy: [UInt8], password: String = "") -> [UInt8] {
        Sodium.pbkdf2SHA512(password: entropy, salt: Array("mnemonic\(password)".utf8), iterations: 2048, length: 64)
    }

    /// The 32-byte mini secret of a phrase (the first half of the substrate-bip39 seed).
    public static func miniSecret(of phrase: String, password: String = "") throws -> [UInt8] {
        Array(seed(entropy: try entropy(of: phrase), password: password)[0..<32])
    }
}
