import Bittensor
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// Answers prompts from the subnet's miners: reads the metagraph (cached in the store), picks `miners_per_query`
/// serving miners by incentive (skipping cooled-down ones), queries them in parallel with signed synapses under one
/// deadline, collects acceptable answers until `quorum` arrived or `answer_wait_ms` passed after the first, and
/// uses the answer the others agree with most (`AnswerAgreement`) — never simply the fastest. Every miner's verdict
/// (chosen, agreed, outvoted, filtered, failed) goes to its health record; when no answer may be used the responder
/// throws and the chain falls through to the next responder.
public struct SubnetResponder: Responder {
    public let name = "subnet"
    public let configuration: SubnetConfiguration
    public let dendrite: Dendrite
    public let metagraph: MetagraphCache
    public let health: MinerHealth
    let verdicts: MinerVerdictObserver?
    let logger: Logger

    public init(configuration: SubnetConfiguration, keypair: Sr25519Keypair, http: any HTTPClient,
                store: any AdapterStateStore, logger: Logger = Logger(label: "replytensor.subnet"),
                verdicts: MinerVerdictObserver? = nil) {
        self.configuration = configuration
        self.dendrite = Dendrite(keypair: keypair, http: http)
        self.metagraph = MetagraphCache(client: SubtensorClient(network: configuration.network, http: http),
                                        netuid: configuration.netuid, store: store,
                                        refreshInterval: configuration.metagraphRefresh)
        self.health = MinerHealth(store: store)
        self.verdicts = verdicts
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
        var collected = await collect(synapse(for: prompt), from: miners, question: prompt.question)
        try Task.checkCancellation()
        // Ties go to the miner ranked first (healthy, then by incentive), never to the fastest.
        let rank = Dictionary(miners.enumerated().map { ($1.target.hotkey, $0) }, uniquingKeysWith: { first, _ in first })
        collected.answers.sort { rank[$0.miner.target.hotkey] ?? .max < rank[$1.miner.target.hotkey] ?? .max }
        let decision = AnswerAgreement.decide(collected.answers.map(\.text), threshold: configuration.agreementThreshold,
                                              acceptSingle: configuration.acceptSingleAnswer)
        var failures = collected.failures
        guard let chosenIndex = decision.chosen else {
            var refusal = decision.refusal ?? "no acceptable answer"
            if !collected.answers.isEmpty {
                refusal += " from " + collected.answers.map(\.miner.label).joined(separator: ", ")
                logger.notice("subnet answer not used", metadata: ["subnet.reason": "\(refusal)"])
            }
            failures.insert(refusal, at: 0)
            throw BotError(.responder, "no agreed answer from \(miners.count) miner(s): " + failures.joined(separator: "; "),
                           httpStatus: collected.lastError?.httpStatus)
        }
        let chosen = collected.answers[chosenIndex]
        await record(MinerVerdict(chosen.miner, .chosen))
        for index in decision.agreeing { await record(MinerVerdict(collected.answers[index].miner, .agreed)) }
        for index in decision.outvoted {
            let miner = collected.answers[index].miner
            logger.notice("subnet answer outvoted", metadata: ["subnet.uid": "\(miner.uid)",
                                                               "subnet.chosen_uid": "\(chosen.miner.uid)"])
            await record(MinerVerdict(miner, .outvoted,
                                      reason: "outvoted: the answer did not agree with the one chosen (\(chosen.miner.label))"))
        }
        logger.debug("subnet answer", metadata: ["subnet.uid": "\(chosen.miner.uid)",
                                                 "subnet.answers": "\(collected.answers.count)",
                                                 "subnet.agreeing": "\(decision.agreeing.count)"])
        return Completion(text: chosen.text, backend: "subnet", source: chosen.miner.label,
                          latency: ContinuousClock.now - start)
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
