/// An sr25519 (schnorrkel) keypair, as substrate and bittensor use it.
public struct Sr25519Keypair: Sendable {
    /// The ristretto255 public key (32 bytes).
    public let publicKey: [UInt8]
    /// The secret scalar (32 bytes, already divided by the cofactor, as schnorrkel's `to_bytes`).
    let secretScalar: [UInt8]
    /// The signing nonce seed (32 bytes).
    let nonceSeed: [UInt8]

    /// Derives the keypair from a 32-byte mini secret with schnorrkel's `ExpandEd25519`.
    public init(miniSecret: [UInt8]) throws {
        guard miniSecret.count == 32 else { throw KeyError("a mini secret is 32 bytes, got \(miniSecret.count)") }
        let hash = Sodium.sha512(miniSecret)
        var key = Array(hash[0..<32])
        key[0] &= 248
        key[31] &= 63
        key[31] |= 64
        // Divide the little-endian 256-bit integer by the cofactor 8.
        var low: UInt8 = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let byte = key[index]
            key[index] = (byte >> 3) | low
            low = byte << 5
        }
        try self.init(secretScalar: key, nonceSeed: Array(hash[32..<64]))
    }

    /// Rebuilds the keypair from schnorrkel's 64-byte secret (`scalar ‖ nonce`, bittensor's `privateKey`).
    public init(secretKey: [UInt8]) throws {
        guard secretKey.count == 64 else { throw KeyError("an sr25519 secret key is 64 bytes, got \(secretKey.count)") }
        try self.init(secretScalar: Array(secretKey[0..<32]), nonceSeed: Array(secretKey[32..<64]))
    }

    private init(secretScalar: [UInt8], nonceSeed: [UInt8]) throws {
        guard Sodium.isCanonicalScalar(secretScalar), let point = Sodium.multiplyBase(secretScalar) else {
            throw KeyError("the secret key is not a valid sr25519 scalar")
        }
        self.secretScalar = secretScalar
        self.nonceSeed = nonceSeed
        self.publicKey = point
    }

    /// schnorrkel's 64-byte secret key encoding (`scalar ‖ nonce`).
    public var secretKey: [UInt8] { secretScalar + nonceSeed }

    /// The SS58 address with the generic substrate prefix 42.
    public var ss58Address: String { SS58.encode(publicKey) }

    /// Signs `message` in the `substrate` context; 64 bytes, randomized, with the schnorrkel marker bit.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        var transcript = Self.transcript(message: message, publicKey: publicKey)
        // Hedged witness: the secret nonce seed, fresh randomness and the message.
        let r = Sodium.reduceWide(Sodium.sha512(nonceSeed + Sodium.randomBytes(32) + Sodium.sha512(message)))
        guard let bigR = Sodium.multiplyBase(r) else { return sign(message) }
        transcript.append(label: "sign:R", message: bigR)
        let k = Sodium.reduceWide(transcript.challengeBytes(label: "sign:c", count: 64))
        var s = Sodium.scalarAdd(Sodium.scalarMul(k, secretScalar), r)
        s[31] |= 0x80
        return bigR + s
    }

    public func sign(_ message: String) -> [UInt8] { sign(Array(message.utf8)) }

    /// Verifies a schnorrkel signature (context `substrate`); signatures without the marker bit are rejected.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32, Sodium.isValidPoint(publicKey) else { return false }
        let bigR = Array(signature[0..<32])
        var s = Array(signature[32..<64])
        guard s[31] & 0x80 != 0 else { return false }
        s[31] &= 0x7f
        guard Sodium.isCanonicalScalar(s), Sodium.isValidPoint(bigR) else { return false }
        var transcript = transcript(message: message, publicKey: publicKey)
        transcript.append(label: "sign:R", message: bigR)
        let k = Sodium.reduceWide(transcript.challengeBytes(label: "sign:c", count: 64))
        guard let sB = Sodium.multiplyBase(s), let kA = Sodium.multiply(k, publicKey),
              let candidate = Sodium.subtract(sB, kA) else { return false }
        return candidate == bigR
    }

    private static func transcript(message: [UInt8], publicKey: [UInt8]) -> MerlinTranscript {
        var transcript = MerlinTranscript(label: "SigningContext")
        transcript.append(label: "", message: Array("substrate".utf8))
        transcript.append(label: "sign-bytes", message: message)
        transcript.append(label: "proto-name", message: Array("Schnorr-sig".utf8))
        transcript.append(label: "sign:pk", message: publicKey)
        return transcript
    }
}

/// A key, address, mnemonic or keyfile problem. Messages never contain secret material.
public struct KeyError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
