import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import ReplyTensorSubnet

/// A local subnet (`LocalSubnet`): a subtensor emulator listing Swift axons with chosen behaviours, all on 127.0.0.1.
struct SubnetWorld {
    enum Behaviour: Sendable {
        case good(String), slow(Duration), failing, empty, echo
        /// Answers `text` after `delay`.
        case late(String, Duration)
        /// Answers spam at once.
        case hostile

        var miner: LocalSubnet.Miner {
            switch self {
            case .good(let text): .answering(text)
            case .slow(let delay): .slow(delay)
            case .failing: .failing
            case .empty: .empty
            case .echo: .echoing()
            case .late(let text, let delay): .answering(text, after: delay)
            case .hostile: .hostile()
            }
        }
    }

    let subnet: LocalSubnet
    let botKeypair: Sr25519Keypair

    var subtensor: SubtensorEmulator { subnet.subtensor }
    var axons: [LocalAxon] { subnet.axons }

    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    /// Miners in order get incentives 60000, 50000, … so the first ones are asked first.
    static func start(_ behaviours: [Behaviour], extraNeurons: [NeuronInfoLite] = []) async throws -> SubnetWorld {
        let subnet = try await LocalSubnet.start(behaviours.map(\.miner), keySeed: 1, extraNeurons: extraNeurons)
        return SubnetWorld(subnet: subnet, botKeypair: try LocalSubnet.keypair(seed: 0xb0))
    }

    /// A responder with the production defaults for the vote (quorum 3, 800 ms, no lone answers) unless given.
    func responder(store: any AdapterStateStore = InMemoryStore(), minersPerQuery: Int = 4, allowPrivate: Bool = true,
                   timeout: Duration = .seconds(4), synapse: PromptingSynapse.Kind = .streamPrompting,
                   quorum: Int = 3, answerWait: Duration = .milliseconds(800), acceptSingleAnswer: Bool = false,
                   verdicts: MinerVerdictObserver? = nil) throws -> SubnetResponder {
        SubnetResponder(configuration: SubnetConfiguration(
            netuid: 1, network: try SubtensorNetwork(subtensor.url), synapse: synapse, minersPerQuery: minersPerQuery,
            allowPrivateAxons: allowPrivate, timeout: timeout, quorum: quorum, answerWait: answerWait,
            acceptSingleAnswer: acceptSingleAnswer), keypair: botKeypair, http: Self.http(), store: store,
            verdicts: verdicts)
    }

    func stop() async { await subnet.stop() }
}

extension Prompt {
    static func question(_ text: String) -> Prompt {
        Prompt(persona: "You are terse.", turns: [ConversationTurn(role: .user, text: text)])
    }
}
