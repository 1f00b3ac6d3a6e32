import Foundation
import ReplyTensorTestSupport
import Testing
@testable import Bittensor

@Suite struct Sr25519Tests {
    @Test func publicKeysAndAddressesFromVectors() throws {
        let keys = Fixtures.array("keys")
        #expect(keys.count == 5)
        for vector in keys {
            let publicKey = Fixtures.bytes(vector["public_key"])
            if let seed = vector["mini_secret_seed"] as? String {
                let keypair = try Sr25519Keypair(miniSecret: try #require(Hex.decode(seed)))
                #expect(keypair.publicKey == publicKey, "\(vector["source"] ?? "")")
                if let secret = vector["secret_key_64_schnorrkel_to_bytes"] as? String {
                    #expect(Hex.encode(keypair.secretKey) == secret)
                }
            }
            if let address = vector["ss58_prefix42"] as? String {
                #expect(SS58.encode(publicKey) == address)
                #expect(try SS58.decode(address).publicKey == publicKey)
            }
        }
    }

    @Test func ss58RejectsBadChecksumsAndGarbage() {
        let good = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        #expect(throws: KeyError.self) { try SS58.decode(String(good.dropLast()) + "Z") }
        #expect(throws: KeyError.self) { try SS58.decode("0OIl") }
        #expect(throws: KeyError.self) { try SS58.decode("") }
        #expect(throws: KeyError.self) { try SS58.decode("5Grwva") }
    }

    @Test func verifiesTheVectors() {
        for vector in Fixtures.array("sr25519_verify") {
            let ok = Sr25519Keypair.verify(signature: Fixtures.bytes(vector["signature"]),
                                           message: Array((vector["message_utf8"] as? String ?? "").utf8),
                                           publicKey: Fixtures.bytes(vector["public_key"]))
            #expect(ok == (vector["valid"] as? Bool), "\(vector["what"] ?? "")")
        }
    }

    @Test func ownSignaturesVerifyAndTamperingFails() throws {
        let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: 7, count: 32))
        let message = Array("hello".utf8)
        let signature = keypair.sign(message)
        #expect(signature.count == 64 && signature[63] & 0x80 != 0)
        #expect(Sr25519Keypair.verify(signature: signature, message: message, publicKey: keypair.publicKey))
        #expect(!Sr25519Keypair.verify(signature: signature, message: Array("hellO".utf8), publicKey: keypair.publicKey))
        var flipped = signature
        flipped[5] ^= 1
        #expect(!Sr25519Keypair.verify(signature: flipped, message: message, publicKey: keypair.publicKey))
        var unmarked = signature
        unmarked[63] &= 0x7f
        #expect(!Sr25519Keypair.verify(signature: unmarked, message: message, publicKey: keypair.publicKey))
        #expect(!Sr25519Keypair.verify(signature: Array(signature.prefix(63)), message: message, publicKey: keypair.publicKey))
        #expect(keypair.sign(message) != signature, "signatures are randomized")
    }

    @Test func crossVerifiesWithPySr25519() throws {
        let seed = [UInt8](repeating: 42, count: 32)
        let keypair = try Sr25519Keypair(miniSecret: seed)
        let messages = ["", "hello", String(repeating: "long ", count: 100), "1795597574616266445.5Dcj.5Dfh.uuid.hash"]
            .map { Array($0.utf8) }
        // Ours → theirs.
        let items = messages.map { ["signature": Hex.encode(keypair.sign($0)), "message": Hex.encode($0),
                                    "public_key": Hex.encode(keypair.publicKey)] }
        var tampered = items[1]
        tampered["message"] = Hex.encode(Array("hellp".utf8))
        let verdict = try PythonOracle.run("sr25519_oracle.py", ["op": "verify", "items": items + [tampered]])
        #expect(verdict["results"] as? [Bool] == [true, true, true, true, false])
        // Theirs → ours.
        let signed = try PythonOracle.run("sr25519_oracle.py", ["op": "sign", "seed": Hex.encode(seed),
                                                                "messages": messages.map { Hex.encode($0) }])
        #expect(signed["public_key"] as? String == Hex.encode(keypair.publicKey))
        let signatures = try #require(signed["signatures"] as? [String])
        #expect(signatures.count == messages.count)
        for (signature, message) in zip(signatures, messages) {
            #expect(Sr25519Keypair.verify(signature: Fixtures.bytes(signature), message: message, publicKey: keypair.publicKey))
        }
    }
}

@Suite struct MnemonicTests {
    @Test func devPhraseGivesTheVectorSeedAndAddress() throws {
        let vector = Fixtures.array("keys")[0]
        let phrase = try #require(vector["mnemonic"] as? String)
        #expect(Hex.encode(try Mnemonic.entropy(of: phrase)) == vector["entropy"] as? String)
        let mini = try Mnemonic.miniSecret(of: phrase)
        #expect(Hex.encode(mini) == vector["mini_secret_seed"] as? String)
        #expect(try Sr25519Keypair(miniSecret: mini).ss58Address == vector["ss58_prefix42"] as? String)
        #expect(try Mnemonic.phrase(for: Mnemonic.entropy(of: phrase)) == phrase)
    }

    @Test func substrateBip39SeedVectors() throws {
        for vector in Fixtures.array("substrate_bip39_password_Substrate") {
            let entropy = Fixtures.bytes(vector["entropy"])
            #expect(Hex.encode(Mnemonic.seed(entropy: entropy, password: "Substrate")) == vector["seed64"] as? String)
            if let phrase = vector["mnemonic"] as? String {
                #expect(try Mnemonic.entropy(of: phrase) == entropy)
            }
        }
    }

    @Test func rejectsBadPhrases() throws {
        #expect(throws: KeyError.self) { try Mnemonic.entropy(of: "bottom drive obey") }
        #expect(throws: KeyError.self) {
            try Mnemonic.entropy(of: "bottom drive obey lake curtain smoke basket hold race lonely fit fit")
        }
        #expect(throws: KeyError.self) {
            try Mnemonic.entropy(of: "bottom drive obey lake curtain smoke basket hold race lonely fit walkx")
        }
        let generated = try Mnemonic.generate()
        #expect(generated.split(separator: " ").count == 12)
        #expect(try Mnemonic.entropy(of: generated).count == 16)
    }
}
