import Foundation
import ReplyTensorTestSupport
import Testing
@testable import Bittensor

@Suite struct HotkeyFileTests {
    static let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

    func temporaryLocation() -> WalletLocation {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-wallet-\(UUID().uuidString)").path
        return WalletLocation(path: folder, wallet: "bot", hotkey: "hk", environment: [:])
    }

    @Test func writesAndReadsAPlainKeyfileInBittensorLayout() throws {
        let location = temporaryLocation()
        let mini = try Mnemonic.miniSecret(of: Self.phrase)
        let keypair = try Sr25519Keypair(miniSecret: mini)
        try HotkeyFile.write(location, keypair: keypair, miniSecret: mini, mnemonic: Self.phrase, password: nil, overwrite: false)
        let mode = try FileManager.default.attributesOfItem(atPath: location.hotkeyFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let loaded = try HotkeyFile.load(location, password: nil)
        #expect(loaded.keypair.ss58Address == "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV")
        #expect(!loaded.encrypted)
        #expect(throws: KeyError.self) {
            try HotkeyFile.write(location, keypair: keypair, miniSecret: mini, mnemonic: nil, password: nil, overwrite: false)
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: location.hotkeyFile))) as? [String: Any])
        #expect(json["privateKey"] as? String == "0x" + (Fixtures.array("keys")[0]["secret_key_64_schnorrkel_to_bytes"] as? String ?? ""))
    }

    @Test func refusesKeyfilesReadableByOthers() throws {
        let location = temporaryLocation()
        let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: 1, count: 32))
        try HotkeyFile.write(location, keypair: keypair, miniSecret: [UInt8](repeating: 1, count: 32), mnemonic: nil,
                             password: nil, overwrite: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: location.hotkeyFile)
        let error = #expect(throws: KeyError.self) { try HotkeyFile.load(location, password: nil) }
        #expect(error?.description.contains("chmod 600") == true)
        #expect(error?.description.contains("0644") == true)
    }

    @Test func readsAKeyfileWrittenByBittensorWallet() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-btwallet-\(UUID().uuidString)").path
        let answer = try PythonOracle.run("wallet_oracle.py", ["path": folder, "mnemonic": Self.phrase, "password": "hunter2-password"])
        #expect(answer["ok"] as? Bool == true)
        let plain = try HotkeyFile.load(WalletLocation(path: folder, wallet: "plain", hotkey: "hk", environment: [:]), password: nil)
        #expect(plain.keypair.ss58Address == "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV")
        let encryptedLocation = WalletLocation(path: folder, wallet: "enc", hotkey: "hk", environment: [:])
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: encryptedLocation.hotkeyFile)))
        #expect(bytes.starts(with: Array("$NACL".utf8)))
        let encrypted = try HotkeyFile.load(encryptedLocation, password: "hunter2-password")
        #expect(encrypted.encrypted)
        #expect(encrypted.keypair.publicKey == plain.keypair.publicKey)
        let wrong = #expect(throws: KeyError.self) { try HotkeyFile.load(encryptedLocation, password: "nope") }
        #expect(wrong?.description.contains("wrong password") == true)
        let missing = #expect(throws: KeyError.self) { try HotkeyFile.load(encryptedLocation, password: nil) }
        #expect(missing?.description.contains("password_env") == true)
    }

    @Test func ourEncryptedKeyfileOpensInBittensorWallet() throws {
        let location = temporaryLocation()
        let mini = try Mnemonic.miniSecret(of: Self.phrase)
        let keypair = try Sr25519Keypair(miniSecret: mini)
        try HotkeyFile.write(location, keypair: keypair, miniSecret: mini, mnemonic: Self.phrase, password: "pw-123456",
                             overwrite: false)
        let answer = try PythonOracle.run("wallet_oracle.py", ["read": location.hotkeyFile, "password": "pw-123456"])
        #expect(answer["ss58"] as? String == keypair.ss58Address)
    }

    @Test func environmentOverridesTheLocation() {
        let location = WalletLocation(path: "~/.bittensor/wallets", wallet: "default", hotkey: "default",
                                      environment: ["HOME": "/home/op", "BT_WALLET_NAME": "miner", "BT_WALLET_HOTKEY": "h1"])
        #expect(location.hotkeyFile == "/home/op/.bittensor/wallets/miner/hotkeys/h1")
    }
}
