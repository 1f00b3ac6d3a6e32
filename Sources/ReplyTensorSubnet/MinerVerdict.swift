/// What became of one miner's part in one query: its answer was chosen, agreed with the chosen one, was outvoted
/// (agreed with no answer others agreed on), was filtered (`AnswerAcceptance`), or the query failed.
public struct MinerVerdict: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case chosen, agreed, outvoted, filtered, failed

        /// Outvoted and filtered answers cost reputation; failures are the transport's (or the miner's process's).
        public var isReputational: Bool { self == .outvoted || self == .filtered }
        public var isGood: Bool { self == .chosen || self == .agreed }
    }

    public var uid: UInt16?
    public var hotkey: String
    public var kind: Kind
    public var reason: String?

    public init(uid: UInt16?, hotkey: String, kind: Kind, reason: String? = nil) {
        self.uid = uid
        self.hotkey = hotkey
        self.kind = kind
        self.reason = reason
    }

    public init(_ miner: MinerCandidate, _ kind: Kind, reason: String? = nil) {
        self.init(uid: miner.uid, hotkey: miner.target.hotkey, kind: kind, reason: reason)
    }
}

/// Told every verdict as it is recorded (the App counts them in the metrics).
public typealias MinerVerdictObserver = @Sendable (MinerVerdict) -> Void
