import Bittensor
import Foundation

/// A local subnet on 127.0.0.1: Swift axons (`LocalAxon`) as miners, each listed at its loopback address as a
/// neuron of one netuid by a subtensor emulator. The one builder of the sandbox's, the tests' and the benchmark's
/// subnets: miner `i` gets the key seed `keySeed + i` and the incentive `60000 - incentiveStep × i` (so the first
/// ones are asked first) and the uid `i`.
public final class LocalSubnet: Sendable {
    /// How one miner answers and whom it refuses.
    public struct Miner: Sendable {
        public var responder: LocalAxon.Responder
        /// A reason to refuse a hotkey (403), or nil to serve it.
        public var blacklist: AxonVerifier.Blacklist?

        public init(_ responder: @escaping LocalAxon.Responder = LocalAxon.echo,
                    blacklist: AxonVerifier.Blacklist? = nil) {
            self.responder = responder
            self.blacklist = blacklist
        }

        /// Answers `text` whatever it is asked.
        public static func answering(_ text: String) -> Miner { Miner { _ in text } }
        /// Waits `delay`, then answers `text`.
        public static func answering(_ text: String, after delay: Duration) -> Miner {
            Miner { _ in
                try await Task.sleep(for: delay)
                return text
            }
        }
        /// What a hostile miner answers: a link, @handles and a cashtag, the kind of text that must never be posted
        /// under the operator's account (the domain is reserved for examples by RFC 2606 and never dialled).
        public static let spam = "FREE $TAO airdrop!!! Claim yours now at https://claim.example/tao @airdrop_bot @everyone"
        /// A hostile miner: answers `spam` at once, whatever it is asked — the fastest answer of every race.
        public static func hostile(_ spam: String = Miner.spam) -> Miner { Miner { _ in spam } }
        /// Answers `prefix` and the last message.
        public static func echoing(_ prefix: String = "") -> Miner { Miner { prefix + ($0.messages.last ?? "") } }
        /// Waits `delay`, then answers "too late".
        public static func slow(_ delay: Duration) -> Miner {
            Miner { _ in
                try await Task.sleep(for: delay)
                return "too late"
            }
        }
        /// Fails like a crashing miner: HTTP 500.
        public static let failing = Miner(failingResponder)
        /// Answers an empty completion.
        public static let empty = Miner { _ in "" }
        /// The responder of a failing miner.
        public static let failingResponder: LocalAxon.Responder = { _ in throw CancellationError() }
    }

    public let netuid: UInt16
    public let subtensor: SubtensorEmulator
    /// The miners' axons, in the order given (axon `i` is uid `i`).
    public let axons: [LocalAxon]
    /// The neurons listed for `netuid`: the miners', then the extra ones.
    public let neurons: [NeuronInfoLite]

    private init(netuid: UInt16, subtensor: SubtensorEmulator, axons: [LocalAxon], neurons: [NeuronInfoLite]) {
        self.netuid = netuid
        self.subtensor = subtensor
        self.axons = axons
        self.neurons = neurons
    }

    /// The subtensor's URL: the bot's `network`.
    public var url: String { subtensor.url }

    // MARK: Keys

    /// The key pair whose mini secret is 32 bytes of `byte`: deterministic keys for miners, bots and benchmarks.
    public static func keypair(seed byte: UInt8) throws -> Sr25519Keypair {
        try Sr25519Keypair(miniSecret: [UInt8](repeating: byte, count: 32))
    }

    /// Writes a new hotkey (from a fresh 12-word mnemonic) as bittensor's wallet layout does, for a bot that reads
    /// `wallet_path`/`wallet`/`hotkey`; its key pair.
    public static func createHotkey(walletPath: String, wallet: String, hotkey: String) throws -> Sr25519Keypair {
        let mnemonic = try Mnemonic.generate(wordCount: 12)
        let mini = try Mnemonic.miniSecret(of: mnemonic)
        let keypair = try Sr25519Keypair(miniSecret: mini)
        try HotkeyFile.write(WalletLocation(path: walletPath, wallet: wallet, hotkey: hotkey, environment: [:]),
                             keypair: keypair, miniSecret: mini, mnemonic: nil, password: nil, overwrite: true)
        return keypair
    }

    // MARK: Start and stop

    /// Starts one axon per miner and a subtensor listing them (and `extraNeurons`) for `netuid`.
    public static func start(_ miners: [Miner], keySeed: UInt8, incentiveStep: UInt16 = 10_000, netuid: UInt16 = 1,
                             extraNeurons: [NeuronInfoLite] = []) async throws -> LocalSubnet {
        var axons: [LocalAxon] = []
        var neurons: [NeuronInfoLite] = []
        for (index, miner) in miners.enumerated() {
            let keypair = try keypair(seed: keySeed &+ UInt8(index))
            let axon = try await LocalAxon.start(keypair: keypair, blacklist: miner.blacklist,
                                                 responder: miner.responder)
            axons.append(axon)
            neurons.append(SubtensorEmulator.neuron(uid: UInt16(index), netuid: netuid, hotkey: keypair.publicKey,
                                                    port: axon.port,
                                                    incentive: 60_000 &- incentiveStep &* UInt16(index)))
        }
        neurons += extraNeurons
        let subtensor = try await SubtensorEmulator.start(neurons: [netuid: neurons])
        return LocalSubnet(netuid: netuid, subtensor: subtensor, axons: axons, neurons: neurons)
    }

    /// Stops the axons that still run, then the subtensor.
    public func stop() async {
        for axon in axons { await axon.stop() }
        await subtensor.stop()
    }

    // MARK: Configuration

    /// The bot's `[responder.subnet]` section for this subnet; `quorum`, `answerWaitMilliseconds` and
    /// `acceptSingleAnswer` are written only when given (else the defaults hold).
    public func configSection(walletPath: String, wallet: String, hotkey: String,
                              synapse: String = "StreamPromptingSynapse", minersPerQuery: Int,
                              allowPrivateAxons: Bool = true, quorum: Int? = nil, answerWaitMilliseconds: Int? = nil,
                              acceptSingleAnswer: Bool? = nil) -> String {
        let agreement = [quorum.map { "quorum = \($0)" }, answerWaitMilliseconds.map { "answer_wait_ms = \($0)" },
                         acceptSingleAnswer.map { "accept_single_answer = \($0)" }].compactMap { $0 }
        return """
        [responder.subnet]
        netuid = \(netuid)
        network = "\(url)"
        synapse = "\(synapse)"
        wallet_path = "\(walletPath)"
        wallet = "\(wallet)"
        hotkey = "\(hotkey)"
        miners_per_query = \(minersPerQuery)
        allow_private_axons = \(allowPrivateAxons)
        \(agreement.joined(separator: "\n"))
        """
    }
}
