import Bittensor
import Foundation
import ReplyTensorCore

extension SubnetResponder {
    /// What the parallel query gathered: the acceptable answers in the order they arrived, and why the other
    /// miners gave none.
    struct Collected: Sendable {
        var answers: [(miner: MinerCandidate, text: String)] = []
        var failures: [String] = []
        var lastError: BotError?
    }

    private enum Arrival: Sendable {
        case answer(MinerCandidate, String)
        case filtered(MinerCandidate, String)
        case failed(MinerCandidate, DendriteError)
        case deadline
        case waitOver
    }

    /// Queries `miners` in parallel under one deadline and collects acceptable answers until `quorum` arrived,
    /// `answerWait` passed after the first one, every miner finished, or the deadline passed; then cancels the rest.
    /// Filtered answers and failures are recorded as verdicts here; a miner still working when collecting stops
    /// before the deadline is neither (it was not waited for).
    func collect(_ synapse: PromptingSynapse, from miners: [MinerCandidate], question: String) async -> Collected {
        let timeout = configuration.timeout
        let maxCharacters = configuration.maxAnswerCharacters
        let dendrite = dendrite
        return await withTaskGroup(of: Arrival.self) { group in
            for miner in miners {
                group.addTask {
                    do {
                        let answer = try await dendrite.query(synapse, to: miner.target, timeout: timeout)
                        if let reason = AnswerAcceptance.reason(toReject: answer.completion, question: question,
                                                                maxCharacters: maxCharacters) {
                            return .filtered(miner, reason)
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
            var collected = Collected()
            var pending = Dictionary(miners.map { ($0.target.hotkey, $0) }, uniquingKeysWith: { first, _ in first })
            arrivals: while let next = await group.next() {
                switch next {
                case .answer(let miner, let text):
                    pending[miner.target.hotkey] = nil
                    collected.answers.append((miner, text))
                    if collected.answers.count == 1 {
                        let wait = configuration.answerWait
                        group.addTask {
                            try? await Task.sleep(for: wait)
                            return .waitOver
                        }
                    }
                case .filtered(let miner, let reason):
                    pending[miner.target.hotkey] = nil
                    collected.failures.append("\(miner.label): \(reason)")
                    await record(MinerVerdict(miner, .filtered, reason: "filtered: \(reason)"))
                case .failed(let miner, let error):
                    pending[miner.target.hotkey] = nil
                    collected.failures.append("\(miner.label): \(error)")
                    collected.lastError = BotError(error)
                    await record(MinerVerdict(miner, .failed, reason: error.description))
                case .deadline:
                    for (_, miner) in pending.sorted(by: { $0.value.uid < $1.value.uid }) {
                        collected.failures.append("\(miner.label): no answer within the deadline")
                        await record(MinerVerdict(miner, .failed, reason: "no answer within the deadline"))
                    }
                    break arrivals
                case .waitOver:
                    break arrivals
                }
                if pending.isEmpty || collected.answers.count >= configuration.quorum { break arrivals }
            }
            group.cancelAll()
            return collected
        }
    }

    /// Records a verdict in the miner's health record and tells the observer.
    func record(_ verdict: MinerVerdict) async {
        await health.note(verdict)
        verdicts?(verdict)
    }
}
