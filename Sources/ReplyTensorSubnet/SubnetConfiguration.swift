import Bittensor

/// How the subnet responder queries miners (`[responder.subnet]`).
public struct SubnetConfiguration: Sendable {
    public var netuid: UInt16
    public var network: SubtensorNetwork
    public var synapse: PromptingSynapse.Kind
    /// Sent with `StreamPromptingSynapse` when set (the later variant requires `task_name`).
    public var taskName: String?
    public var minersPerQuery: Int
    /// Dial loopback/private/link-local axons (the sandbox and tests); never for a public deployment.
    public var allowPrivateAxons: Bool
    /// One deadline for the whole parallel query.
    public var timeout: Duration
    /// How old the metagraph may get before it is fetched again.
    public var metagraphRefresh: Duration
    /// Longest acceptable answer, in characters.
    public var maxAnswerCharacters: Int
    /// Acceptable answers wanted before choosing (`quorum`): collecting stops as soon as this many arrived.
    public var quorum: Int
    /// How long to wait for more answers after the first acceptable one (`answer_wait_ms`).
    public var answerWait: Duration
    /// Whether an answer that no other answer agrees with may be used (`accept_single_answer`).
    public var acceptSingleAnswer: Bool
    /// Two answers agree when their `AnswerFingerprint` similarity is at least this (0…1).
    public var agreementThreshold: Double

    public init(netuid: UInt16 = 1, network: SubtensorNetwork, synapse: PromptingSynapse.Kind = .streamPrompting,
                taskName: String? = nil, minersPerQuery: Int = 3, allowPrivateAxons: Bool = false,
                timeout: Duration = .seconds(30), metagraphRefresh: Duration = .seconds(600),
                maxAnswerCharacters: Int = 16_000, quorum: Int = 3, answerWait: Duration = .milliseconds(800),
                acceptSingleAnswer: Bool = false, agreementThreshold: Double = AnswerAgreement.defaultThreshold) {
        self.netuid = netuid
        self.network = network
        self.synapse = synapse
        self.taskName = taskName
        self.minersPerQuery = max(1, minersPerQuery)
        self.allowPrivateAxons = allowPrivateAxons
        self.timeout = timeout
        self.metagraphRefresh = metagraphRefresh
        self.maxAnswerCharacters = maxAnswerCharacters
        self.quorum = max(1, quorum)
        self.answerWait = max(.zero, answerWait)
        self.acceptSingleAnswer = acceptSingleAnswer
        self.agreementThreshold = min(1, max(0, agreementThreshold))
    }
}
