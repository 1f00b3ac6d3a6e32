import Bittensor
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// Answers prompts from the subnet's miners: reads the metagraph (cached in the store), picks `miners_per_query`
/// serving miners by incentive (skipping cooled-down ones), queries them in parallel with signed synapses under one
/// deadline, returns the first acceptable answer and cancels the rest. Failures update each miner's health; when
/// no miner answers acceptably the responder throws and the chain falls through to the next responder.
public struct SubnetResponder: Responder {
    public let name = "subnet"
    public let configuration: SubnetConfiguration
    public let dendrite: Dendrite
    public let metagraph: MetagraphCache
    public let health: MinerHealth
    private let logger: Logger

    public init(configuration: SubnetConfiguration, keypair: Sr25519Keypair, http: any HTTPClient,
                store: any AdapterStateStore, logger: Logger = Logger(label: "replytensor.subnet")) {
        self.configuration = configuration
        self.dendrite = Dendrite(keypair: keypair, http: http)
        self.metagraph = MetagraphCache(client: SubtensorClient(network: configuration.network, http: http),
                                        netuid: configuration.netuid, store: store,
                                        refreshInterval: configuration.metagraphRefresh)
        self.health = MinerHealth(store: store)
        self.logger = logger
    }

    /// The synapse for a prompt: the persona as `system`, then the conversation.
    public func synapse(for prompt: Prompt) -> PromptingSynapse {
        var roles: [String] = []
        var messages: [String] = []
        if !prompt.persona.isEmpty {
            roles.append("system")
            messages.append(prompt.persona)
        }
        for turn in prompt.turns {
            roles.append(turn.role.rawValue)
            messages.append(turn.text)
        }
        return PromptingSynapse(kind: configuration.synapse, roles: roles, messages: messages,
                                taskName: configuration.synapse.isStreaming ? configuration.taskName : nil)
    }

    /// The miners a query would go to now, healthy ones first.
    public func chooseMiners() async throws -> (chosen: [MinerCandidate], outcome: MinerSelection.Outcome) {
        let snapshot: MetagraphCache.Snapshot
        do { snapshot = try await metagraph.neurons() } catch let error as SubtensorError {
            throw BotError(error)
        }
        let outcome = MinerSelection.candidates(from: snapshot.neurons, allowPrivate: configuration.allowPrivateAxons,
                                                excluding: dendrite.signer.hotkey)
        var healthy: [MinerCandidate] = []
        var cooling: [MinerCandidate] = []
        for candidate in outcome.candidates {
            if await health.isCoolingDown(candidate.target.hotkey) { cooling.append(candidate) } else { healthy.append(candidate) }
        }
        // Cooled-down miners are asked only when there are not enough healthy ones.
        let chosen = Array((healthy + cooling).prefix(configuration.minersPerQuery))
        return (chosen, outcome)
    }

    public func respond(to prompt: Prompt) async throws -> Completion {
        let start = ContinuousClock.now
        let (miners, outcome) = try await chooseMiners()
        guard !miners.isEmpty else {
            let skipped = outcome.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            throw BotError(.responder, "no serving miner on netuid \(configuration.netuid)"
                + (skipped.isEmpty ? "" : " (skipped: \(skipped))"))
        }
        let synapse = synapse(for: prompt)
        let question = prompt.question
        let timeout = configuration.timeout
        let maxCharacters = configuration.maxAnswerCharacters
        let dendrite = dendrite

        enum Outcome: Sendable {
            case answer(MinerCandidate, String)
            case rejected(MinerCandidate, String)
            case failed(MinerCandidate, DendriteError)
            case deadline
        }

        var failures: [String] = []
        var lastError: BotError?
        let winner: (MinerCandidate, String)? = await withTaskGroup(of: Outcome.self) { group in
            for miner in miners {
                group.addTask {
                    do {
                        let answer = try await dendrite.query(synapse, to: miner.target, timeout: timeout)
                        if let reason = AnswerAcceptance.reason(toReject: answer.completion, question: question,
                                                                maxCharacters: maxCharacters) {
                            return .rejected(miner, reason)
                        }
                        return .answer(miner, answer.completion)
                    } catch let error as DendriteError {
                        return .failed(miner, error)
                    } catch {
                        return .failed(miner, DendriteError(.cancelled, "\(error)", axon: miner.target.description))
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .deadline
            }
            var pending = Dictionary(miners.map { ($0.target.hotkey, $0) }, uniquingKeysWith: { first, _ in first })
            while let next = await group.next() {
                switch next {
                case .answer(let miner, let text):
                    group.cancelAll()
                    await health.succeeded(miner.target.hotkey)
                    return (miner, text)
                case .rejected(let miner, let reason):
                    pending[miner.target.hotkey] = nil
                    failures.append("\(miner.label): \(reason)")
                    await health.failed(miner.target.hotkey, reason: reason)
                case .failed(let miner, let error):
                    pending[miner.target.hotkey] = nil
                    failures.append("\(miner.label): \(error)")
                    lastError = BotError(error)
                    await health.failed(miner.target.hotkey, reason: error.description)
                case .deadline:
                    group.cancelAll()
                    for (hotkey, miner) in pending.sorted(by: { $0.value.uid < $1.value.uid }) {
                        failures.append("\(miner.label): no answer within the deadline")
                        await health.failed(hotkey, reason: "no answer within the deadline")
                    }
                    return nil
                }
                if pending.isEmpty {
                    group.cancelAll()
                    return nil
                }
            }
            return nil
        }
        if let (miner, text) = winner {
            logger.debug("subnet answer", metadata: ["subnet.uid": "\(miner.uid)"])
            return Completion(text: text, backend: "subnet", source: miner.label, latency: ContinuousClock.now - start)
        }
        try Task.checkCancellation()
        throw BotError(.responder, "no acceptable answer from \(miners.count) miner(s): " + failures.joined(separator: "; "),
                       httpStatus: lastError?.httpStatus)
    }

    /// For `replytensor check`: the metagraph is readable and how many miners would be asked.
    public func verify() async throws -> (neurons: Int, serving: Int) {
        let snapshot: MetagraphCache.Snapshot
        do { snapshot = try await metagraph.refresh() } catch let error as SubtensorError { throw BotError(error) }
        let outcome = MinerSelection.candidates(from: snapshot.neurons, allowPrivate: configuration.allowPrivateAxons,
                                                excluding: dendrite.signer.hotkey)
        return (snapshot.neurons.count, outcome.candidates.count)
    }
}
