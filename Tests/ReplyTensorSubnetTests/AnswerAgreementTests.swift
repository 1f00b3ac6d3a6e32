import ReplyTensorSubnet
import Testing

/// The vote among answers, without sockets: cheap text similarity, the medoid, outvoting, lone answers.
@Suite struct AnswerAgreementTests {
    static let paraphrases = [
        "Bittensor is a decentralized network where machine learning models compete and are rewarded in TAO.",
        "Bittensor is an open, decentralized protocol in which miners serve ML models and earn TAO rewards from validators.",
        "It's a decentralized machine-learning marketplace: miners run models, validators score them, and the best earn TAO.",
    ]
    static let spam = "FREE $TAO airdrop!!! Claim yours now at https://claim.example/tao @airdrop_bot @everyone"
    static let abuse = "You are an idiot, nobody cares about your stupid question, go away."

    @Test func paraphrasesAgreeWhileSpamAndAbuseAgreeWithNothing() {
        let prints = (Self.paraphrases + [Self.spam, Self.abuse]).map(AnswerFingerprint.init)
        let threshold = AnswerAgreement.defaultThreshold
        for i in 0..<3 {
            for j in 0..<3 where j != i { #expect(prints[i].similarity(to: prints[j]) >= threshold) }
            #expect(prints[i].similarity(to: prints[3]) < threshold)
            #expect(prints[i].similarity(to: prints[4]) < threshold)
        }
        #expect(AnswerFingerprint("Same text.").similarity(to: AnswerFingerprint("same TEXT")) > 0.99)
        #expect(AnswerFingerprint("").similarity(to: AnswerFingerprint("anything")) == 0)
    }

    @Test func theFastestAnswerIsOutvotedWhenTheOthersAgree() {
        // The spam came first; the three paraphrases agree with each other and not with it.
        let decision = AnswerAgreement.decide([Self.spam] + Self.paraphrases, acceptSingle: true)
        #expect(decision.chosen.map { $0 >= 1 } == true)
        #expect(decision.outvoted == [0])
        #expect(decision.agreeing.count == 2)
    }

    @Test func twoAgreeingAnswersAreEnoughAndTheDisagreeingOneIsOutvoted() {
        let decision = AnswerAgreement.decide([Self.abuse, Self.paraphrases[0], Self.paraphrases[1]], acceptSingle: false)
        #expect(decision.chosen == 1, "ties go to the answer given first")
        #expect(decision.agreeing == [2])
        #expect(decision.outvoted == [0])
    }

    @Test func aLoneAnswerIsUsedOnlyWhenAllowed() {
        let refused = AnswerAgreement.decide([Self.paraphrases[0]], acceptSingle: false)
        #expect(refused.chosen == nil)
        #expect(refused.refusal?.contains("lone answer") == true)
        #expect(AnswerAgreement.decide([Self.paraphrases[0]], acceptSingle: true).chosen == 0)
        // Answers that all disagree are no agreement either; nobody is outvoted.
        let split = AnswerAgreement.decide([Self.spam, Self.paraphrases[0]], acceptSingle: false)
        #expect(split.chosen == nil && split.outvoted.isEmpty)
        #expect(split.refusal?.contains("none agreeing") == true)
        #expect(AnswerAgreement.decide([], acceptSingle: true).chosen == nil)
    }
}
