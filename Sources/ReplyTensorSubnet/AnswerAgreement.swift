/// The vote among miners' acceptable answers (README "Agreement before speed"): two answers agree when their
/// fingerprints are at least `threshold` alike. The chosen answer is the one that agrees with the most others (ties:
/// the larger similarity summed over the answers agreeing with it, then the one given first): the medoid of the
/// largest agreeing group. An answer that agrees with no other is never chosen while any two answers agree; every
/// answer that does not agree with the chosen one is outvoted. Without any agreement, an answer (a lone one, or the
/// first given of several that all disagree) is used only when `acceptSingle` is true, and nobody is outvoted.
public enum AnswerAgreement {
    /// Paraphrases score about 0.5 and unrelated texts below 0.2 (`AnswerFingerprint`).
    public static let defaultThreshold = 0.3

    public struct Decision: Sendable, Equatable {
        /// The index of the answer to use, or nil when none may be used.
        public var chosen: Int?
        /// Answers that agree with the chosen one.
        public var agreeing: [Int] = []
        /// Answers that do not agree with the chosen one, which others agreed with (empty without agreement).
        public var outvoted: [Int] = []
        /// Why no answer may be used, for the error message.
        public var refusal: String?
    }

    /// Decides among `answers`, given in order of preference (the responder gives them by miner rank).
    public static func decide(_ answers: [String], threshold: Double = defaultThreshold,
                              acceptSingle: Bool) -> Decision {
        guard !answers.isEmpty else { return Decision(chosen: nil, refusal: "no acceptable answer") }
        let prints = answers.map(AnswerFingerprint.init)
        var similarity = Array(repeating: Array(repeating: 1.0, count: answers.count), count: answers.count)
        for i in answers.indices {
            for j in answers.indices where j > i {
                let value = prints[i].similarity(to: prints[j])
                similarity[i][j] = value
                similarity[j][i] = value
            }
        }
        func agree(_ i: Int, _ j: Int) -> Bool { i != j && similarity[i][j] >= threshold }
        let support = answers.indices.map { i in answers.indices.filter { agree(i, $0) }.count }
        // Similarity summed over the answers that agree with it: what an outvoted answer resembles never counts.
        let total = answers.indices.map { i in answers.indices.reduce(0.0) { $0 + (agree(i, $1) ? similarity[i][$1] : 0) } }
        // The best: most agreeing others, then the largest summed similarity to them, then the first given.
        let best = answers.indices.max { a, b in
            (support[a], total[a], -a) < (support[b], total[b], -b)
        }!
        if support[best] == 0 {
            guard acceptSingle else {
                let refusal = answers.count == 1
                    ? "a lone answer, with no other to agree with it (accept_single_answer = false)"
                    : "\(answers.count) answers, none agreeing with another (accept_single_answer = false)"
                return Decision(chosen: nil, refusal: refusal)
            }
            return Decision(chosen: best)
        }
        let others = answers.indices.filter { $0 != best }
        return Decision(chosen: best, agreeing: others.filter { agree(best, $0) },
                        outvoted: others.filter { !agree(best, $0) })
    }
}
