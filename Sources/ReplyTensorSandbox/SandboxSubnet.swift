import Bittensor
import Foundation
import ReplyTensorEmulators
import ReplyTensorSubnet

/// The sandbox's local subnet: a subtensor JSON-RPC emulator (SCALE `NeuronInfoLite`) listing Swift axons on
/// 127.0.0.1 with different behaviours, and the bot's hotkey in a wallet in the sandbox folder. The top miner
/// (uid 0, highest incentive) is hostile: it answers spam at once, the fastest answer of every race; three good
/// miners answer alike a little later, so the bot posts what they agree on and outvotes uid 0.
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

    /// How long a good miner thinks: long enough for the hostile miner to answer first.
    static let goodDelay: Duration = .milliseconds(30)

    /// The responder the good miners use.
    static func goodResponder(_ answers: SandboxAnswers) -> LocalAxon.Responder {
        { synapse in
            try await Task.sleep(for: goodDelay)
            return answers.answer(synapse.messages, label: label)
        }
    }

    /// A responder that fails like a crashing miner (HTTP 500).
    static let failing: LocalAxon.Responder = LocalSubnet.Miner.failingResponder

    static func start(folder: URL, answers: SandboxAnswers) async throws -> SandboxSubnet {
        let walletPath = folder.appendingPathComponent("wallets").path
        let botKeypair = try LocalSubnet.createHotkey(walletPath: walletPath, wallet: "sandbox", hotkey: "bot")
        let good = LocalSubnet.Miner(goodResponder(answers))
        let behaviours: [(String, LocalSubnet.Miner)] = [
            ("hostile", .hostile()),
            ("good", good),
            ("good (backup)", good),
            ("good (third)", good),
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

    /// Prints what each miner answered (HTTP statuses by count) and what became of its answers (the reputation in
    /// the store), and checks the misbehaving ones were passed over and the hostile one never posted.
    func report(in world: SandboxWorld, summary: inout SandboxSummary) async {
        await world.transcript.section("Subnet: what each miner answered the bot")
        let reputation = Dictionary(MinerHealth.records(in: (try? await world.assembly.store.values(for: "subnet")) ?? [:])
            .map { ($0.hotkey, $0.record) }, uniquingKeysWith: { first, _ in first })
        for miner in miners {
            let statuses = await miner.axon.recorder.requests.map(\.status)
            let counts = Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)
                .sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            let record = reputation[miner.axon.hotkey] ?? MinerHealth.Record()
            let verdicts = "chosen \(record.chosen), agreed \(record.agreed), outvoted \(record.outvoted), "
                + "filtered \(record.filtered)"
            world.transcript.say("  uid \(miner.uid) \(miner.behaviour.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                                 + (counts.isEmpty ? "not asked" : counts + " — " + verdicts))
            switch miner.behaviour {
            case "hostile":
                summary.expect("the hostile miner (uid \(miner.uid)) was outvoted and never chosen",
                               record.outvoted > 0 && record.chosen == 0 && record.agreed == 0, verdicts)
            case "blacklisting":
                summary.expect("the blacklisting miner refused the bot's hotkey (403) every time",
                               !statuses.isEmpty && statuses.allSatisfy { $0 == 403 }, counts)
            case "failing":
                summary.expect("the failing miner answered 500 every time and was passed over",
                               !statuses.isEmpty && statuses.allSatisfy { $0 == 500 }, counts)
            default: break
            }
        }
        let posted = await world.telegram.sent.map(\.text) + (await world.discord.sent.map(\.message.content))
            + (await world.twitter.botPosts.map(\.text))
        let spam = posted.filter { $0.contains("airdrop") }
        summary.expect("the hostile miner's spam was never posted", spam.isEmpty, "\(spam.count) replies")
    }

    func stop() async { await subnet.stop() }

    /// The `[responder.subnet]` section for the bot.
    var configSection: String {
        subnet.configSection(walletPath: walletPath, wallet: "sandbox", hotkey: "bot", minersPerQuery: miners.count)
    }
}
