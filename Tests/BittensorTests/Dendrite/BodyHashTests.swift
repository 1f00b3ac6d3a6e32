import Foundation
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
