import CSodium

/// Thin, typed access to the libsodium primitives the Bittensor client uses.
enum Sodium {
    /// `sodium_init` runs once, before any other call (it is idempotent and thread-safe).
    static let ready: Bool = sodium_init() >= 0

    static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(ready, "libsodium failed to initialise")
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }

    static func sha512(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        crypto_hash_sha512(&out, input, UInt64(input.count))
        return out
    }

    static func sha256(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        crypto_hash_sha256(&out, input, UInt64(input.count))
        return out
    }

    static func blake2b(_ input: [UInt8], outputLength: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        crypto_generichash(&out, outputLength, input, UInt64(input.count), nil, 0)
        return out
    }

    static func hmacSHA512(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var state = crypto_auth_hmacsha512_state()
        crypto_auth_hmacsha512_init(&state, key, key.count)
        crypto_auth_hmacsha512_update(&state, message, UInt64(message.count))
        var out = [UInt8](repeating: 0, count: 64)
        crypto_auth_hmacsha512_final(&state, &out)
        return out
    }

    /// PBKDF2-HMAC-SHA512 (RFC 8018) for outputs of at most 64 bytes (one block).
    static func pbkdf2SHA512(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        precondition(length <= 64)
        var u = hmacSHA512(key: password, message: salt + [0, 0, 0, 1])
        var result = u
        for _ in 1..<iterations {
            u = hmacSHA512(key: password, message: u)
            for index in 0..<64 { result[index] ^= u[index] }
        }
        return Array(result[0..<length])
    }

    // MARK: ristretto255

    static let scalarBytes = 32

    /// Reduces a 64-byte little-endian integer modulo the group order.
    static func reduceWide(_ wide: [UInt8]) -> [UInt8] {
        precondition(wide.count == 64)
        var out = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_reduce(&out, wide)
        return out
    }

    static func scalarMul(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_mul(&out, a, b)
        return out
    }

    static func scalarAdd(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_add(&out, a, b)
        return out
    }

    /// Whether `scalar` (32 bytes) is the canonical encoding of a value below the group order.
    static func isCanonicalScalar(_ scalar: [UInt8]) -> Bool {
        scalar.count == 32 && reduceWide(scalar + [UInt8](repeating: 0, count: 32)) == scalar
    }

    /// `scalar · B`; nil for the identity (a zero scalar).
    static func multiplyBase(_ scalar: [UInt8]) -> [UInt8]? {
        precondition(ready, "libsodium failed to initialise")
        var out = [UInt8](repeating: 0, count: 32)
        return crypto_scalarmult_ristretto255_base(&out, scalar) == 0 ? out : nil
    }

    /// `scalar · point`; nil when the point is not a valid encoding or the result is the identity.
    static func multiply(_ scalar: [UInt8], _ point: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        return crypto_scalarmult_ristretto255(&out, scalar, point) == 0 ? out : nil
    }

    static func subtract(_ p: [UInt8], _ q: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        return crypto_core_ristretto255_sub(&out, p, q) == 0 ? out : nil
    }

    static func isValidPoint(_ point: [UInt8]) -> Bool {
        point.count == 32 && crypto_core_ristretto255_is_valid_point(point) == 1
    }

    // MARK: secretbox and argon2i

    static func secretboxOpen(_ boxed: [UInt8], key: [UInt8]) -> [UInt8]? {
        let nonceLength = Int(crypto_secretbox_NONCEBYTES), macLength = Int(crypto_secretbox_MACBYTES)
        guard boxed.count >= nonceLength + macLength else { return nil }
        let nonce = Array(boxed[0..<nonceLength])
        let cipher = Array(boxed[nonceLength...])
        var out = [UInt8](repeating: 0, count: cipher.count - macLength)
        guard crypto_secretbox_open_easy(&out, cipher, UInt64(cipher.count), nonce, key) == 0 else { return nil }
        return out
    }

    static func secretboxSeal(_ plain: [UInt8], key: [UInt8]) -> [UInt8] {
        let nonce = randomBytes(Int(crypto_secretbox_NONCEBYTES))
        var out = [UInt8](repeating: 0, count: plain.count + Int(crypto_secretbox_MACBYTES))
        crypto_secretbox_easy(&out, plain, UInt64(plain.count), nonce, key)
        return nonce + out
    }

    /// argon2i with bittensor's keyfile parameters' shape; nil when libsodium refuses (e.g. out of memory).
    static func argon2i(password: [UInt8], salt: [UInt8], opsLimit: UInt64, memLimit: Int) -> [UInt8]? {
        precondition(ready, "libsodium failed to initialise")
        var key = [UInt8](repeating: 0, count: 32)
        let passwordChars = password.map { CChar(bitPattern: $0) }
        let result = crypto_pwhash(&key, 32, passwordChars, UInt64(passwordChars.count), salt, opsLimit, memLimit,
                                   crypto_pwhash_ALG_ARGON2I13)
        return result == 0 ? key : nil
    }
}
