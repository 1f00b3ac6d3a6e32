import Foundation
import ReplyTensorCore

/// The Gateway session's state machine, without I/O: which session can be resumed where, the last sequence
/// number, and what to do after each way a connection ends.
///
/// Source: https://discord.com/developers/docs/events/gateway — "Resuming": after a disconnect, reconnect to
/// `resume_gateway_url` and send Resume with `session_id` and the last `s`; "Reconnect (op 7)": reconnect and resume;
/// "Invalid Session (op 9)": `d` says whether the session may be resumed, and the client waits "a random amount
/// of time between 1 and 5 seconds" before identifying (or resuming) again. Close codes: .../topics/
/// opcodes-and-status-codes, "Gateway Close Event Codes" (4004, 4010-4014 must not reconnect; 4007 and 4009 need a
/// new session; the rest of 4000-4009 may resume).
struct DiscordGatewaySession: Sendable {
    /// How a connection ended.
    enum Ending: Sendable, Equatable {
        /// The server closed with this code, or the connection dropped (`nil`).
        case closed(Int?)
        /// No Heartbeat ACK arrived before the next heartbeat was due (a "zombied" connection).
        case missedACK
        /// Op 7.
        case reconnectRequested
        /// Op 9, with its `d`.
        case invalidSession(resumable: Bool)
        /// The connection could not be made.
        case failed(String)
    }

    /// What to do next.
    enum Next: Sendable, Equatable {
        case resume(after: Duration)
        case identify(after: Duration)
        case stop(String)
    }

    var sessionID: String?
    var resumeURL: String?
    var sequence: Int?

    var canResume: Bool { sessionID != nil && resumeURL != nil }

    /// The Identify or Resume to send after Hello.
    func opening(token: String, intents: DiscordIntents) -> (payload: String, resuming: Bool) {
        if let sessionID, canResume {
            return (DiscordGatewayCommand.resume(token: token, sessionID: sessionID, sequence: sequence), true)
        }
        return (DiscordGatewayCommand.identify(token: token, intents: intents), false)
    }

    mutating func ready(_ ready: DiscordReady) {
        sessionID = ready.sessionId
        resumeURL = ready.resumeGatewayUrl
    }

    /// A dispatch's `s`: the last one seen is what Heartbeat and Resume send.
    mutating func saw(sequence: Int?) {
        guard let sequence else { return }
        self.sequence = max(self.sequence ?? 0, sequence)
    }

    mutating func forget() {
        sessionID = nil
        resumeURL = nil
        sequence = nil
    }

    /// The documented wait before identifying or resuming after op 9: random, 1 to 5 seconds.
    static func invalidSessionWait() -> Duration { .milliseconds(Int64.random(in: 1000...5000)) }

    /// Decides what follows `ending`; `retry` is the backoff for a connection that failed or dropped.
    mutating func next(after ending: Ending, retry: Duration, tokenSource: String) -> Next {
        switch ending {
        case .missedACK, .reconnectRequested:
            return canResume ? .resume(after: .zero) : .identify(after: retry)
        case .invalidSession(let resumable):
            if !resumable { forget() }
            return canResume ? .resume(after: Self.invalidSessionWait()) : .identify(after: Self.invalidSessionWait())
        case .failed:
            return canResume ? .resume(after: retry) : .identify(after: retry)
        case .closed(let code):
            if let message = Self.fatal(code, tokenSource: tokenSource) { return .stop(message) }
            if code == 4007 || code == 4009 || code == 1000 || code == 1001 { forget() }
            return canResume ? .resume(after: code == nil ? retry : .zero) : .identify(after: retry)
        }
    }

    /// The message of a close code after which reconnecting is pointless.
    static func fatal(_ code: Int?, tokenSource: String) -> String? {
        switch code {
        case 4004:
            return "Discord's Gateway rejected the bot token (close 4004 Authentication failed): check \(tokenSource)"
        case 4014:
            return "Discord's Gateway refused the intents (close 4014 Disallowed intent(s)): enable the Message Content "
                + "intent in the Developer Portal or set message_content = false"
        case 4013:
            return "Discord's Gateway refused the intents (close 4013 Invalid intent(s)); this is a bug, please report it"
        case 4012:
            return "Discord's Gateway refused API version 10 (close 4012 Invalid API version); check [discord] api_base"
        case 4010, 4011:
            return "Discord's Gateway requires sharding (close \(code!)): the bot is in too many guilds for one "
                + "connection, which this version does not support"
        default:
            return nil
        }
    }
}
