import Foundation

/// What the emulated Gateway knows: open connections, sessions (kept after their connection drops, so a Resume can
/// replay what they missed), the session start limit, the application's privileged intents, the heartbeat interval
/// and the scripted faults.
struct DiscordGatewayBook {
    /// What a connection's writer sends next.
    enum Outgoing: Sendable {
        case text(String)
        /// A close frame with this code, then the end of the connection.
        case close(Int)
        /// The TCP connection is cut without a close frame.
        case drop
    }

    struct Connection {
        var continuation: AsyncStream<Outgoing>.Continuation
        var onResumeURL: Bool
        var sessionID: String?
    }

    struct Session {
        var botID: String
        var intents: Int
        var sequence = 0
        /// Dispatches sent (or due) on this session, by sequence number, for replay on Resume.
        var events: [(sequence: Int, payload: String)] = []
        var connection: Int?
    }

    var connections: [Int: Connection] = [:]
    var sessions: [String: Session] = [:]
    var nextConnection = 0
    /// `ws://127.0.0.1:PORT`, set once the server listens.
    var baseURL = ""
    /// https://discord.com/developers/docs/events/gateway, "Sending Heartbeats": Hello's `heartbeat_interval`
    /// (Discord sends 41250 ms).
    var heartbeatInterval = 41_250
    var acking = true
    var startsTotal = 1000
    var startsRemaining = 1000
    var resetAfterMilliseconds = 86_400_000
    /// The application's MESSAGE_CONTENT flag (Developer Portal → Bot → Privileged Gateway Intents).
    var messageContentEnabled = false
    /// Counts for tests.
    var identifies = 0
    var resumes = 0
    var resumesOnResumeURL = 0
    var heartbeats = 0
    var replayed = 0
    /// Identify payloads refused because no session starts were left.
    var identifiesOverLimit = 0
    /// Sends beyond 120 in 60 s on one connection (https://discord.com/developers/docs/events/gateway,
    /// "Rate Limiting": closed with 4008).
    var sendTimes: [Int: [Date]] = [:]
    var rateLimitCloses = 0

    /// Dispatches kept per session for replay.
    static let replayLimit = 5000
}
