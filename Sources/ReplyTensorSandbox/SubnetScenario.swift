import Bittensor
import Foundation
import ReplyTensorApp
import ReplyTensorCore
import ReplyTensorGateway
import ReplyTensorEmulators
import ReplyTensorSubnet

/// `sandbox --scenario subnet`: the native subnet client against a local subtensor (JSON-RPC, SCALE) and local
/// Swift axons as miners — a good one, a slow one, a failing one and an empty one — then the fall-through to the
/// gateway when the subnet cannot answer.
public struct SubnetScenario {
    func play(in world: SandboxWorld) async throws -> SandboxSummary {
        let say = world.transcript.say
        var summary = SandboxSummary(scenario: "subnet")
        let behaviours: [(String, LocalSubnet.Miner)] = [
            ("slow", .slow(.seconds(30))),
            ("failing", .failing),
            ("empty", .empty),
            ("good", .echoing("[local miner] ")),
        ]
        let local = try await LocalSubnet.start(behaviours.map(\.1), keySeed: 0x30)
        for (index, axon) in local.axons.enumerated() {
            say("  miner uid \(index) (\(behaviours[index].0))  \(axon.target.authority)  \(axon.hotkey)")
        }
        let subtensor = local.subtensor
        say("  local subtensor  \(subtensor.url)  (state_call NeuronInfoRuntimeApi_get_neurons_lite)")

        let botKeypair = try LocalSubnet.keypair(seed: 0x30 + 99)
        let http = HTTPClientFactory.make(proxy: "")
        let subnet = SubnetResponder(
            configuration: SubnetConfiguration(netuid: 1, network: try SubtensorNetwork(subtensor.url), synapse: .streamPrompting,
                                               minersPerQuery: 4, allowPrivateAxons: true, timeout: .seconds(3),
                                               // One good miner among broken ones: nothing to agree with, so its lone
                                               // answer is accepted explicitly (the tour shows the vote).
                                               acceptSingleAnswer: true),
            keypair: botKeypair, http: http, store: world.assembly.store)
        let chain = ResponderChain([subnet, GatewayResponder(configuration: .init(
            baseURL: world.gateway.baseURL, apiKey: world.gateway.apiKey, authHeader: .bearer, model: "replytensor-emulator",
            stream: true, timeout: .seconds(5), maxRetries: 0), http: http)])

        say("\n— Subnet: one question, four miners queried in parallel with signed StreamPromptingSynapse requests")
        let prompt = Prompt(persona: "You are ReplyTensor in the sandbox.",
                            turns: [ConversationTurn(role: .user, text: "What do miners on a prompting subnet do?")])
        let start = ContinuousClock.now
        let first = try? await chain.respond(to: prompt)
        let elapsed = ContinuousClock.now - start
        say("  answer: \(first?.text ?? "none")  — from \(first?.backend ?? "?") \(first?.source ?? "") in \(String(format: "%.2f", elapsed.seconds)) s")
        summary.expect("the good miner answers", first?.text == "[local miner] What do miners on a prompting subnet do?")
        summary.expect("slow, failing and empty miners are passed over within the deadline", elapsed < .seconds(3))

        say("\n— Subnet: the miners go away; the chain falls through to the gateway")
        for axon in local.axons { await axon.stop() }
        let second = try? await chain.respond(to: prompt)
        say("  answer: \(second?.text ?? "none")  — from \(second?.backend ?? "?")")
        summary.expect("with no miner answering, the gateway answers", second?.backend == "gateway")

        await subtensor.stop()
        return summary
    }
}
