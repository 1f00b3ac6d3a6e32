import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import ReplyTensorSubnet

/// A local subnet: a subtensor emulator listing Swift axons with chosen behaviours, all on 127.0.0.1.
struct SubnetWorld {
    enum Behaviour: Sendable {
        case good(String), slow(Duration), failing, empty, echo
    }

    let subtensor: SubtensorEmulator
    let axons: [LocalAxon]
    let botKeypair: Sr25519Keypair

    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    /// Miners in order get incentives 60000, 50000, … so the first ones are asked first.
    static func start(_ behaviours: [Behaviour], extraNeurons: [NeuronInfoLite] = []) async throws -> SubnetWorld {
        var axons: [LocalAxon] = []
        var neurons: [NeuronInfoLite] = []
        for (index, behaviour) in behaviours.enumerated() {
            let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: UInt8(index + 1), count: 32))
            let responder: LocalAxon.Responder
            switch behaviour {
            case .good(let text): responder = { _ in text }
            case .slow(let delay): responder = { _ in try await Task.sleep(for: delay); return "too late" }
            case .failing: responder = { _ in throw CancellationError() }
            case .empty: responder = { _ in "" }
            case .echo: responder = { $0.messages.last ?? "" }
            }
            let axon = try await LocalAxon.start(keypair: keypair, responder: responder)
            axons.append(axon)
            neurons.append(SubtensorEmulator.neuron(uid: UInt16(index), hotkey: keypair.publicKey, port: axon.port,
                                                    incentive: UInt16(60000 - index * 10000)))
        }
        let subtensor = try await SubtensorEmulator.start(neurons: [1: neurons + extraNeurons])
        return SubnetWorld(subtensor: subtensor, axons: axons,
                           botKeypair: try Sr25519Keypair(miniSecret: [UInt8](repeating: 0xb0, count: 32)))
    }

    func responder(store: any AdapterStateStore = InMemoryStore(), minersPerQuery: Int = 4, allowPrivate: Bool = true,
                   timeout: Duration = .seconds(4), synapse: PromptingSynapse.Kind = .streamPrompting) throws -> SubnetResponder {
        SubnetResponder(configuration: SubnetConfiguration(
            netuid: 1, network: try SubtensorNetwork(subtensor.url), synapse: synapse, minersPerQuery: minersPerQuery,
            allowPrivateAxons: allowPrivate, timeout: timeout), keypair: botKeypair, http: Self.http(), store: store)
    }

    func stop() async {
        for axon in axons { await axon.stop() }
        await subtensor.stop()
    }
}

extension Prompt {
    static func question(_ text: String) -> Prompt {
        Prompt(persona: "You are terse.", turns: [ConversationTurn(role: .user, text: text)])
    }
}
