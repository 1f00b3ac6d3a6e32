import Foundation

/// bittensor wallet keyfiles: plain JSON (`secretSeed`, else `privateKey`) or `$NACL` (libsodium secretbox, key from
/// argon2i with bittensor's fixed salt). Files readable or writable by group or others are refused.
public enum HotkeyFile {
    static let naclPrefix = Array("$NACL".utf8)
    static let salt: [UInt8] = Hex.decode("137183dff15a09bc9c90b5518739e9b1")!
    static let opsLimit: UInt64 = 8
    static let memLimit = 512 << 20

    /// What a keyfile holds, without the secret parts being printable.
    public struct Contents: Sendable {
        public var keypair: Sr25519Keypair
        public var mnemonic: String?
        public var encrypted: Bool
    }

    /// Loads the hotkey at `location`; `password` is needed only for `$NACL` files.
    public static func load(_ location: WalletLocation, password: String?) throws -> Contents {
        try load(path: location.hotkeyFile, password: password)
    }

    public static func load(path: String, password: String?) throws -> Contents {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw KeyError("no hotkey file at \(path)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw KeyError("refusing hotkey file \(path): it is accessible by group or others (mode "
                + String(format: "%04o", mode) + "); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyError("cannot read \(path)") }
        return try parse(Array(data), password: password, path: path)
    }

    /// Parses keyfile bytes.
    public static func parse(_ bytes: [UInt8], password: String?, path: String = "the hotkey file") throws -> Contents {
        if bytes.starts(with: naclPrefix) {
            guard let password, !password.isEmpty else {
                throw KeyError("\(path) is encrypted ($NACL): set the password through responder.subnet.password_env")
            }
            guard let key = Sodium.argon2i(password: Array(password.utf8), salt: salt, opsLimit: opsLimit,
                                           memLimit: memLimit) else {
                throw KeyError("argon2i key derivation failed for \(path) (not enough memory?)")
            }
            guard let plain = Sodium.secretboxOpen(Array(bytes[naclPrefix.count...]), key: key) else {
                throw KeyError("could not decrypt \(path): wrong password or damaged file")
            }
            var contents = try parseJSON(plain, path: path)
            contents.encrypted = true
            return contents
        }
        if bytes.starts(with: Array("$BTENC".utf8)) || bytes.starts(with: Array("$ANSIBLE".utf8)) {
            throw KeyError("\(path) uses a legacy encryption that is not supported; re-encrypt it with a current bittensor wallet")
        }
        return try parseJSON(bytes, path: path)
    }

    private static func parseJSON(_ bytes: [UInt8], path: String) throws -> Contents {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw KeyError("\(path) is not a bittensor keyfile (expected JSON)")
        }
        let keypair: Sr25519Keypair
        if let seedText = object["secretSeed"] as? String {
            guard let seed = Hex.decode(seedText), seed.count == 32 else { throw KeyError("\(path): secretSeed is not 32 hex bytes") }
            keypair = try Sr25519Keypair(miniSecret: seed)
        } else if let privateText = object["privateKey"] as? String {
            guard let secret = Hex.decode(privateText), secret.count == 64 else {
                throw KeyError("\(path): privateKey is not 64 hex bytes")
            }
            keypair = try Sr25519Keypair(secretKey: secret)
        } else {
            throw KeyError("\(path) has neither secretSeed nor privateKey")
        }
        if let publicText = object["publicKey"] as? String, let stated = Hex.decode(publicText), stated != keypair.publicKey {
            throw KeyError("\(path): the publicKey does not match the secret")
        }
        return Contents(keypair: keypair, mnemonic: object["secretPhrase"] as? String, encrypted: false)
    }

    /// The keyfile JSON bittensor-wallet writes (field order as bittensor-wallet 4.x).
    public static func json(keypair: Sr25519Keypair, miniSecret: [UInt8]?, mnemonic: String?) -> String {
        func quote(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data()
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        }
        let publicHex = "0x" + Hex.encode(keypair.publicKey)
        var fields = ["\"ss58Address\":\(quote(keypair.ss58Address))", "\"cryptoType\":1",
                      "\"accountId\":\"\(publicHex)\""]
        if let mnemonic { fields.append("\"secretPhrase\":\(quote(mnemonic))") }
        fields.append("\"privateKey\":\"0x\(Hex.encode(keypair.secretKey))\"")
        fields.append("\"publicKey\":\"\(publicHex)\"")
        if let miniSecret { fields.append("\"secretSeed\":\"0x\(Hex.encode(miniSecret))\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Writes a hotkey in bittensor's layout: folders 0700 when created, the keyfile and `<hotkey>pub.txt` 0600
    /// from their creation, each written atomically (`AtomicFileWriter`). With a password the keyfile is `$NACL`
    /// encrypted. Refuses to overwrite unless `overwrite`.
    public static func write(_ location: WalletLocation, keypair: Sr25519Keypair, miniSecret: [UInt8]?,
                             mnemonic: String?, password: String?, overwrite: Bool) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: location.hotkeyFile) && !overwrite {
            throw KeyError("\(location.hotkeyFile) already exists (use --overwrite to replace it)")
        }
        try manager.createDirectory(atPath: location.hotkeysFolder, withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        var plain = Array(json(keypair: keypair, miniSecret: miniSecret, mnemonic: mnemonic).utf8)
        if let password, !password.isEmpty {
            guard let key = Sodium.argon2i(password: Array(password.utf8), salt: salt, opsLimit: opsLimit,
                                           memLimit: memLimit) else {
                throw KeyError("argon2i key derivation failed (not enough memory?)")
            }
            plain = naclPrefix + Sodium.secretboxSeal(plain, key: key)
        }
        try AtomicFileWriter.write(plain, to: location.hotkeyFile, replacing: overwrite)
        let publicHex = "0x" + Hex.encode(keypair.publicKey)
        let publicJSON = "{\"cryptoType\":1,\"accountId\":\"\(publicHex)\",\"ss58Address\":\"\(keypair.ss58Address)\","
            + "\"publicKey\":\"\(publicHex)\"}"
        try AtomicFileWriter.write(Array(publicJSON.utf8), to: location.hotkeyPublicFile, replacing: true)
    }
}
