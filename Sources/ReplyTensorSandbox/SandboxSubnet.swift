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

    let subnet: LocalSubnet
    let miners: [Miner]
    let walletPath: String
    let botHotkey: String

    var subtensor: SubtensorEmulator { subnet.subtensor }

    private init(subnet: LocalSubnet, miners: [Miner], walletPath: String, botHotkey: String) {
        self.subnet = subnet
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
    static let failing: LocalAxon.Responder = LocalSubnet.Miner.failingResponder

    static func start(folder: URL, answers: SandboxAnswers) async throws -> SandboxSubnet {
        let walletPath = folder.appendingPathComponent("wallets").path
        let botKeypair = try LocalSubnet.createHotkey(walletPath: walletPath, wallet: "sandbox", hotkey: "bot")
        let good = LocalSubnet.Miner(goodResponder(answers))
        let behaviours: [(String, LocalSubnet.Miner)] = [
            ("good", good),
            ("good (backup)", good),
            ("slow", LocalSubnet.Miner { synapse in
                try await Task.sleep(for: .seconds(2))
                return answers.answer(synapse.messages, label: label + ", slow")
            }),
            ("failing", .failing),
            ("empty", .empty),
            ("blacklisting", LocalSubnet.Miner(good.responder, blacklist: { _ in "hotkey not allowed by this miner" })),
        ]
        let subnet = try await LocalSubnet.start(behaviours.map(\.1), keySeed: 0x60, incentiveStep: 5000,
                                                 netuid: netuid)
        let miners = zip(behaviours, subnet.axons).enumerated().map { index, pair in
            Miner(uid: UInt16(index), behaviour: pair.0.0, axon: pair.1)
        }
        return SandboxSubnet(subnet: subnet, miners: miners, walletPath: walletPath, botHotkey: botKeypair.ss58Address)
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

    func stop() async { await subnet.stop() }

    /// The `[responder.subnet]` section for the bot.
    var configSection: String {
        subnet.configSection(walletPath: walletPath, wallet: "sandbox", hotkey: "bot", minersPerQuery: miners.count)
    }
}
