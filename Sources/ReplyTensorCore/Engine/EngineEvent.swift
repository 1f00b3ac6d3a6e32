import Foundation

/// What happened, for transcripts (the sandbox), metrics and tests. Observers must be quick.
public enum EngineEvent: Sendable {
    case identified(BotIdentity)
    case admitted(InboundMessage)
    case duplicate(MentionKey)
    case rejected(Platform, RejectedInput)
    case skipped(InboundMessage, reason: String)
    case answered(InboundMessage, parts: [String], replyIDs: [String], completion: Completion?)
    case failed(InboundMessage, reason: String)
    case unknown(InboundMessage, reason: String)
    case rateLimited(Platform, scope: String, wait: Duration)
    case pollSucceeded(Platform, messages: Int)
    case pollFailed(Platform, error: String)
    case adapterStopped(Platform, reason: String)
}

/// Receives engine events.
public typealias EngineObserver = @Sendable (EngineEvent) -> Void
