import Foundation
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing
@testable import Bittensor

@Suite struct SubtensorClientTests {
    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    @Test(arguments: [false, true])
    func readsTheNeuronListOverJSONRPC(wrapped: Bool) async throws {
        let neurons = (0..<12).map(sampleNeuron)
        let emulator = try await SubtensorEmulator.start(neurons: [7: neurons], wrapped: wrapped)
        let client = SubtensorClient(network: try SubtensorNetwork(emulator.url), http: Self.http())
        #expect(try await client.neuronsLite(netuid: 7) == neurons)
        #expect(try await client.neuronsLite(netuid: 1).isEmpty)
        #expect(try await client.chainName() == "ReplyTensor Local Subtensor")
        let call = try #require(await emulator.recorder.requests.first?.json)
        #expect(call["method"] as? String == "state_call")
        #expect(call["params"] as? [String] == ["NeuronInfoRuntimeApi_get_neurons_lite", "0x0700"])
        await emulator.setUnavailable(true)
        let error = await #expect(throws: SubtensorError.self) { try await client.neuronsLite(netuid: 7) }
        #expect(error?.kind == .http && error?.status == 503)
        await emulator.stop()
    }

    @Test func networkNames() throws {
        #expect(try SubtensorNetwork("finney").url == "https://entrypoint-finney.opentensor.ai:443")
        #expect(try SubtensorNetwork("test").url == "https://test.finney.opentensor.ai:443")
        #expect(try SubtensorNetwork("local").url == "http://127.0.0.1:9944")
        #expect(try SubtensorNetwork("ws://127.0.0.1:9945").url == "http://127.0.0.1:9945")
        #expect(try SubtensorNetwork("wss://example.invalid:443").url == "https://example.invalid:443")
        #expect(throws: SubtensorError.self) { try SubtensorNetwork("mainnet") }
    }
}
