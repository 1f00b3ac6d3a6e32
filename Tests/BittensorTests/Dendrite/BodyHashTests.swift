import Foundation
import ReplyTensorTestSupport
import Testing
@testable import Bittensor

@Suite struct BodyHashTests {
    /// The vectors show Python's `str(list)`; the inputs are the lists that print that way.
    static let inputs: [[String]] = [
        ["Hello"], ["it's"], ["say \"hi\""], ["it's \"both\""], ["back\\slash"], ["line1\nline2\ttab\r"],
        ["héllo 🚀"], ["ctrl\u{01}\u{7f}"], ["nbsp\u{a0}zwsp\u{200b}"], ["system prompt", "user msg"],
        ["tell me a joke"], [],
    ]

    @Test func pythonListReprAndHashesMatchTheVectors() throws {
        let table = try #require((Fixtures.vectors["body_hash"] as? [String: Any])?["list_of_str_cases (python str(list) shown)"] as? [[String]])
        #expect(table.count == Self.inputs.count)
        for (row, input) in zip(table, Self.inputs) {
            #expect(PythonRepr.list(input) == row[0])
            // The vector is the whole body hash of a synapse whose only hashed field is this list.
            #expect(PromptingSynapse.bodyHash(hashedValues: [PythonRepr.list(input)]) == row[1], "\(row[0])")
            #expect(PromptingSynapse(kind: .prompting, roles: [], messages: input).bodyHash == row[1])
        }
    }

    @Test func promptingBodyHashCoversMessagesOnly() {
        let a = PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["tell me a joke"])
        var b = a
        b.roles = ["system"]
        b.completion = "x"
        #expect(a.bodyHash == b.bodyHash)
        #expect(a.bodyHash == SHA3_256.hex(SHA3_256.hex("['tell me a joke']")))
        b.messages = ["tell me a joke!"]
        #expect(a.bodyHash != b.bodyHash)
    }

    @Test func signedRequestCarriesBittensorHeaders() throws {
        let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: 3, count: 32))
        let signer = DendriteSigner(keypair: keypair, uuid: "u-1")
        let axon = AxonTarget(host: "::1", port: 8091, hotkey: "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV")
        let synapse = PromptingSynapse(kind: .streamPrompting, roles: ["user"], messages: ["hi"], taskName: "qa")
        let request = signer.request(synapse, to: axon, nonce: 42, timeout: .seconds(12))
        #expect(request.url == "http://[::1]:8091/StreamPromptingSynapse")
        #expect(request.headers["timeout"] == "12.0")
        #expect(request.headers["bt_header_dendrite_nonce"] == "42")
        #expect(request.headers["bt_header_dendrite_version"] == "10005000")
        #expect(request.headers["bt_header_input_obj_roles"] == "W10=")
        #expect(request.headers["bt_header_input_obj_messages"] == "W10=")
        #expect(request.headers["bt_header_input_obj_task_name"] == "IiI=")
        #expect(request.headers["computed_body_hash"] == synapse.bodyHash)
        let message = "42.\(keypair.ss58Address).\(axon.hotkey).u-1.\(synapse.bodyHash)"
        let signature = try #require(Hex.decode(request.headers["bt_header_dendrite_signature"] ?? ""))
        #expect(Sr25519Keypair.verify(signature: signature, message: Array(message.utf8), publicKey: keypair.publicKey))
    }

    @Test func noncesStrictlyIncreaseEvenWhenTheClockStandsStill() async {
        let clock = NonceClock(now: { 1_000 })
        let first = await clock.next()
        let second = await clock.next()
        #expect(first == 1_000 && second == 1_001)
    }
}

@Suite struct PythonReprOracleTests {
    /// Strings from many Unicode categories; Python's own `str()` is the judge.
    @Test func listReprMatchesCPythonAcrossUnicodeCategories() throws {
        var generator = SeededGenerator(seed: 0x5eed)
        let pools: [ClosedRange<UInt32>] = [0x00...0x7f, 0x80...0xff, 0x300...0x36f, 0x2000...0x206f, 0xe000...0xe0ff,
                                            0xfff0...0xffff, 0x1f300...0x1f6ff, 0xe0000...0xe007f, 0x10fff0...0x10ffff]
        var lists: [[String]] = []
        for _ in 0..<300 {
            var list: [String] = []
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                var text = ""
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    let pool = pools.randomElement(using: &generator)!
                    if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &generator)) { text.unicodeScalars.append(scalar) }
                    if Bool.random(using: &generator) { text.append(["'", "\"", "\\", " ", "a"].randomElement(using: &generator)!) }
                }
                list.append(text)
            }
            lists.append(list)
        }
        let answer = try PythonOracle.run("repr_oracle.py", ["lists": lists])
        let reprs = try #require(answer["reprs"] as? [String])
        let hashes = try #require(answer["hashes"] as? [String])
        var mismatches = 0
        for (index, list) in lists.enumerated() where PythonRepr.list(list) != reprs[index]
            || PromptingSynapse(kind: .prompting, roles: [], messages: list).bodyHash != hashes[index] {
            mismatches += 1
            if mismatches <= 3 { Issue.record("\(list.map { $0.unicodeScalars.map { String($0.value, radix: 16) } }) → ours \(PythonRepr.list(list)) python \(reprs[index])") }
        }
        #expect(mismatches == 0)
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
