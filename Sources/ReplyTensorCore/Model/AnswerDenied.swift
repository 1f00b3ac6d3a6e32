/// Every answer the responders gave was refused by a plugin's review (the output policy's `deny_patterns`), and no
/// responder gave an acceptable one. The mention fails with `reason` (`policy.denied`).
public struct AnswerDenied: Error, Sendable, Hashable, CustomStringConvertible {
    /// The ledger's reason: the first denial's.
    public var reason: String
    /// What happened with each responder asked, in order (`gateway: policy.denied (deny_patterns[0])`). Never the
    /// answer's text.
    public var details: [String]

    public init(reason: String, details: [String]) {
        self.reason = reason
        self.details = details
    }

    public var description: String { "\(reason): \(details.joined(separator: "; "))" }
}
