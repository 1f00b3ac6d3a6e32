import Foundation
import ReplyTensorTestSupport
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing
@testable import Bittensor

/// A real bittensor 10.5.0 Dendrite against our axon, compared status by status with a real bittensor Axon.
@Suite(.serialized) struct SwiftAxonTests {
    static let modes = ["normal", "tamper_body", "stale_nonce", "bad_signature", "replay", "missing_input", "unknown_synapse"]
    static let expected = [200, 500, 401, 401, 200, 401, 500, 404]

    func statuses(port: Int, hotkey: String, synapse: String) throws -> [(status: Int, completion: String)] {
        let answer = try PythonOracle.run("dendrite_oracle.py", [
            "port": port, "axon_hotkey": hotkey, "seed": String(repeating: "22", count: 32), "synapse": synapse,
            "messages": ["be brief", "tell me a joke"], "modes": Self.modes,
        ])
        let results = try #require(answer["results"] as? [[String: Any]])
        return results.map { ($0["status"] as? Int ?? -1, $0["completion"] as? String ?? "") }
    }

    @Test(arguments: PromptingSynapse.Kind.allCases)
    func pythonDendriteIsAcceptedAndAttacksAreRejectedLikeBittensor(kind: PromptingSynapse.Kind) async throws {
        let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x71, count: 32))
        let ours = try await LocalAxon.start(keypair: keypair, responder: { "swift axon: " + ($0.messages.last ?? "") })
        let results = try statuses(port: ours.port, hotkey: ours.hotkey, synapse: kind.rawValue)
        await ours.stop()
        #expect(results.map(\.status) == Self.expected)
        #expect(results.first?.completion == "swift axon: tell me a joke")

        let python = try PythonAxon.start(seed: [UInt8](repeating: 0x72, count: 32))
        defer { python.stop() }
        let theirs = try statuses(port: python.port, hotkey: python.hotkey, synapse: kind.rawValue)
        #expect(theirs.map(\.status) == results.map(\.status), "same status codes as bittensor's own axon")
    }

    @Test func ourDendriteAndOurAxonAgree() async throws {
        let axon = try await LocalAxon.start(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x73, count: 32)))
        let dendrite = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x74, count: 32)),
                                http: CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")))
        for kind in PromptingSynapse.Kind.allCases {
            let synapse = PromptingSynapse(kind: kind, roles: ["user"], messages: ["ping ['x'] \u{200b}"])
            #expect(try await dendrite.query(synapse, to: axon.target, timeout: .seconds(5)).completion
                == "miner says: ping ['x'] \u{200b}")
        }
        // Signed for another axon's hotkey: 401.
        var wrong = axon.target
        wrong.hotkey = SS58.encode([UInt8](repeating: 9, count: 32))
        let error = await #expect(throws: DendriteError.self) {
            try await dendrite.query(PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["x"]), to: wrong,
                                     timeout: .seconds(5))
        }
        #expect(error?.status == 401)
        await axon.stop()
    }
}

@Suite struct ConcurrentDendriteTests {
    /// Many queries in flight from one dendrite to one axon: none is refused for an out-of-order nonce.
    @Test func concurrentQueriesToOneAxonAllSucceed() async throws {
        let axon = try await LocalAxon.start(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x75, count: 32)))
        let dendrite = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x76, count: 32)),
                                http: CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")))
        let synapse = PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["hi"])
        let target = axon.target
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { (try? await dendrite.query(synapse, to: target, timeout: .seconds(10)))?.status == 200 }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(ok == 200)
        await axon.stop()
    }
}

@Suite struct IPv6AxonTests {
    /// An axon on ::1: the URL carries the address in brackets and the signed request is accepted.
    @Test func queriesAnIPv6LoopbackAxon() async throws {
        let axon = try await LocalAxon.start(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x77, count: 32)),
                                             host: "::1")
        let dendrite = Dendrite(keypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0x78, count: 32)),
                                http: CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")))
        #expect(axon.target.url(synapse: "Prompting").hasPrefix("http://[::1]:"))
        let answer = try await dendrite.query(PromptingSynapse(kind: .prompting, roles: ["user"], messages: ["v6"]),
                                              to: axon.target, timeout: .seconds(5))
        #expect(answer.completion == "miner says: v6")
        await axon.stop()
    }
}
