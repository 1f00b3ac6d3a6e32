import Bittensor
import Foundation
import ReplyTensorEmulators

/// The sandbox's local subnet: a subtensor JSON-RPC emulator (SCALE `NeuronInfoLite`) listing Swift axons on
/// 127.0.0.1 with different behaviours, and the bot's hotkey in a wallet in the sandbox folder.
public final class SandboxSubnet: Sendable {
    struct Miner: Sendable {
        let uid: UInt16
        let behaviour: String
        let axon: LocalAxon
    }

    static let netuid: UInt16 = 1
    /// The label the good miners put on their answers.
    static let label = "local miner"

    let subtensor: SubtensorEmulator
    let miners: [Miner]
    let walletPath: String
    let botHotkey: String

    private init(subtensor: SubtensorEmulator, miners: [Miner], walletPath: String, botHotkey: String) {
        self.subtensor = subtensor
        self.miners = miners
        self.walletPath = walletPath
        self.botHotkey = botHotkey
    }

    /// The miner with this behaviour.
    func miner(_ behaviour: String) -> Miner? { miners.first { $0.behaviour == behaviour } }

    /// The responder the good miners use.
    static func goodResponder(_ answers: SandboxAnswers) -> LocalAxon.Responder {
        { synapse in answers.answer(synapse.messages, label: label) }
    }

    /// A responder that fails like a crashing miner (HTTP 500).
    static let failing: LocalAxon.Responder = { _ in throw CancellationError() }

    static func start(folder: URL, answers: SandboxAnswers) async throws -> SandboxSubnet {
        let walletPath = folder.appendingPathComponent("wallets").path
        let mnemonic = try Mnemonic.generate(wordCount: 12)
        let mini = try Mnemonic.miniSecret(of: mnemonic)
        let botKeypair = try Sr25519Keypair(miniSecret: mini)
        try HotkeyFile.write(WalletLocation(path: walletPath, wallet: "sandbox", hotkey: "bot", environment: [:]),
                             keypair: botKeypair, miniSecret: mini, mnemonic: nil, password: nil, overwrite: true)
        let good = goodResponder(answers)
        let behaviours: [(String, LocalAxon.Responder, AxonVerifier.Blacklist?)] = [
            ("good", good, nil),
            ("good (backup)", good, nil),
            ("slow", { synapse in
                try await Task.sleep(for: .seconds(2))
                return answers.answer(synapse.messages, label: label + ", slow")
            }, nil),
            ("failing", failing, nil),
            ("empty", { _ in "" }, nil),
            ("blacklisting", good, { _ in "hotkey not allowed by this miner" }),
        ]
        var miners: [Miner] = []
        var neurons: [NeuronInfoLite] = []
        for (index, (behaviour, responder, blacklist)) in behaviours.enumerated() {
            let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: UInt8(0x60 + index), count: 32))
            let axon = try await LocalAxon.start(keypair: keypair, blacklist: blacklist, responder: responder)
            miners.append(Miner(uid: UInt16(index), behaviour: behaviour, axon: axon))
            neurons.append(SubtensorEmulator.neuron(uid: UInt16(index), netuid: netuid, hotkey: keypair.publicKey,
                                                    port: axon.port, incentive: UInt16(60000 - 5000 * index)))
        }
        let subtensor = try await SubtensorEmulator.start(neurons: [netuid: neurons])
        return SandboxSubnet(subtensor: subtensor, miners: miners, walletPath: walletPath,
                             botHotkey: botKeypair.ss58Address)
    }

    /// Prints what each miner answered (HTTP statuses by count) and checks the misbehaving ones were passed over.
    func report(in world: SandboxWorld, summary: inout SandboxSummary) async {
        await world.transcript.section("Subnet: what each miner answered the bot")
        for miner in miners {
            let statuses = await miner.axon.recorder.requests.map(\.status)
            let counts = Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)
                .sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            world.transcript.say("  uid \(miner.uid) \(miner.behaviour.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                                 + (counts.isEmpty ? "not asked" : counts))
            switch miner.behaviour {
            case "blacklisting":
                summary.expect("the blacklisting miner refused the bot's hotkey (403) every time",
                               !statuses.isEmpty && statuses.allSatisfy { $0 == 403 }, counts)
            case "failing":
                summary.expect("the failing miner answered 500 every time and was passed over",
                               !statuses.isEmpty && statuses.allSatisfy { $0 == 500 }, counts)
            default: break
            }
        }
    }

    func stop() async {
        for miner in miners { await miner.axon.stop() }
        await subtensor.stop()
    }

    /// The `[responder.subnet]` section for the bot.
    var configSection: String {
        """
        [responder.subnet]
        netuid = \(Self.netuid)
        network = "\(subtensor.url)"
        synapse = "StreamPromptingSynapse"
        wallet_path = "\(walletPath)"
        wallet = "sandbox"
        hotkey = "bot"
        miners_per_query = \(miners.count)
        allow_private_axons = true
        """
    }
}
