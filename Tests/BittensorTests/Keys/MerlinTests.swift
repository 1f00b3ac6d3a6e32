import Testing
@testable import Bittensor

@Suite struct MerlinTests {
    @Test func publishedSimpleVector() {
        var transcript = MerlinTranscript(label: "test protocol")
        transcript.append(label: "some label", message: Array("some data".utf8))
        let challenge = transcript.challengeBytes(label: "challenge", count: 32)
        #expect(Hex.encode(challenge) == Fixtures.array("merlin")[0]["challenge"] as? String)
        #expect(Hex.encode(challenge) == "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615")
    }

    @Test func complexVectorCrossesManyPermutations() {
        var transcript = MerlinTranscript(label: "test protocol")
        transcript.append(label: "step1", message: Array("some data".utf8))
        let big = [UInt8](repeating: 99, count: 1024)
        var challenge: [UInt8] = []
        for _ in 0..<32 {
            challenge = transcript.challengeBytes(label: "challenge", count: 32)
            transcript.append(label: "bigdata", message: big)
            transcript.append(label: "challengedata", message: challenge)
        }
        #expect(Hex.encode(challenge) == Fixtures.array("merlin")[1]["challenge"] as? String)
    }

    @Test func sha3OfEmptyAndBodyHashVectors() throws {
        let bodyHash = try #require(Fixtures.vectors["body_hash"] as? [String: Any])
        #expect(Hex.encode(SHA3_256.hash([UInt8]())) == bodyHash["no_required_fields"] as? String)
        #expect(SHA3_256.hex(SHA3_256.hex("hello from dendrite")) == bodyHash["str_field 'hello from dendrite'"] as? String)
        // More than one rate block (136 bytes): the FIPS 202 example of 200 bytes of 0xa3.
        #expect(Hex.encode(SHA3_256.hash([UInt8](repeating: 0xa3, count: 200)))
            == "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787")
    }
}
