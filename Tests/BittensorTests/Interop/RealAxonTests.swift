import Foundation
import ReplyTensorHTTP
import Testing
@testable import Bittensor

/// Our dendrite against a real bittensor 10.5.0 Axon.
@Suite(.serialized) struct RealAxonTests {
    static let axonSeed = [UInt8](repeating: 0x51, count: 32)
    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    @Test func bothSynapsesAnswer200WithTheCompletion() async throws {
        let axon = try PythonAxon.start(seed: Self.axonSeed)
        defer { axon.stop() }
        let dendrite = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x61, count: 32)), http: Self.http())
        let question = "it's a \"test\" — héllo 🚀\nline two"
        for kind in PromptingSynapse.Kind.allCases {
            let synapse = PromptingSynapse(kind: kind, roles: ["system", "user"], messages: ["be brief", question])
            let answer = try await dendrite.query(synapse, to: axon.target, timeout: .seconds(10))
            #expect(answer.status == 200)
            #expect(answer.completion == "axon says: " + question, "\(kind)")
            #expect(answer.streamed == kind.isStreaming)
        }
    }

    @Test func aVerbatimReplayIsRefusedWith401() async throws {
        let axon = try PythonAxon.start(seed: Self.axonSeed)
        defer { axon.stop() }
        let signer = DendriteSigner(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x62, count: 32)), uuid: "replay-test")
        let synapse = PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["once"])
        let request = signer.request(synapse, to: axon.target, nonce: NonceClock.wallClockNanoseconds(), timeout: .seconds(10))
        let http = Self.http()
        let first = try await http.execute(request)
        #expect(first.status == 200)
        let second = try await http.execute(request)
        #expect(second.status == 401)
        #expect(second.text.contains("Nonce is too old"))
    }

    @Test func aHotkeyTheAxonBlacklistsGetsAClear403() async throws {
        let allowed = try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x63, count: 32))
        let axon = try PythonAxon.start(seed: Self.axonSeed, blacklistExcept: allowed.ss58Address)
        defer { axon.stop() }
        let stranger = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x64, count: 32)), http: Self.http())
        let synapse = PromptingSynapse(kind: .streamPrompting, roles: ["user"], messages: ["hello"])
        let error = await #expect(throws: DendriteError.self) {
            try await stranger.query(synapse, to: axon.target, timeout: .seconds(10))
        }
        #expect(error?.kind == .rejected && error?.status == 403)
        #expect(error?.description.contains("blacklisted") == true)
        #expect(error?.description.contains("registered in the subnet") == true)
        // The allowed hotkey still gets through.
        let friend = Dendrite(keypair: allowed, http: Self.http())
        #expect(try await friend.query(synapse, to: axon.target, timeout: .seconds(10)).completion == "axon says: hello")
    }

    @Test func aClosedPortIsUnreachableNotAHang() async throws {
        let dendrite = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x65, count: 32)), http: Self.http())
        let target = AxonTarget(host: "127.0.0.1", port: 9, hotkey: SS58.encode([UInt8](repeating: 1, count: 32)))
        let error = await #expect(throws: DendriteError.self) {
            try await dendrite.query(PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["x"]), to: target,
                                     timeout: .seconds(5))
        }
        #expect(error?.kind == .unreachable)
    }
}
