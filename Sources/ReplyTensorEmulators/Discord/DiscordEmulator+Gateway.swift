import Foundation

/// The emulated Gateway, driven from tests and the sandbox: scripted faults, the session start limit, the
/// application's MESSAGE_CONTENT flag, the heartbeat interval, DMs, and what happened (identifies, resumes, replays).
extension DiscordEmulator {
    /// A fault the Gateway acts out on every open connection.
    public enum GatewayFault: Sendable {
        /// The TCP connection is cut without a close frame (the session stays resumable).
        case dropSocket
        /// Heartbeats are no longer answered with op 11 (a "zombied" connection), until `resumeACKing`.
        case stopACKing
        case resumeACKing
        /// Op 7 Reconnect.
        case reconnect
        /// Op 9 Invalid Session with `d` = `resumable`; a non-resumable one ends the session (its events are gone).
        case invalidSession(resumable: Bool)
        /// A close frame with this code (4004 Authentication failed, 4014 Disallowed intents, …).
        case close(Int)
    }

    /// What the Gateway counted.
    public struct GatewayCounts: Sendable, Hashable {
        public var identifies: Int
        public var resumes: Int
        public var resumesOnResumeURL: Int
        public var heartbeats: Int
        /// Dispatches sent again on a Resume.
        public var replayed: Int
        public var identifiesOverLimit: Int
        public var rateLimitCloses: Int
        public var openConnections: Int
    }

    /// `ws://127.0.0.1:PORT`, what `GET /gateway/bot` answers.
    public var gatewayURL: String { "ws://\(server.host):\(server.port)" }

    public func gatewayFault(_ fault: GatewayFault) async { await state.gatewayFault(fault) }

    public var gatewayCounts: GatewayCounts {
        get async {
            let book = await state.gateway
            return GatewayCounts(identifies: book.identifies, resumes: book.resumes,
                                 resumesOnResumeURL: book.resumesOnResumeURL, heartbeats: book.heartbeats,
                                 replayed: book.replayed, identifiesOverLimit: book.identifiesOverLimit,
                                 rateLimitCloses: book.rateLimitCloses,
                                 openConnections: book.connections.values.filter { $0.sessionID != nil }.count)
        }
    }

    /// The session start limit `GET /gateway/bot` reports (each Identify spends one).
    public func setGatewayStarts(remaining: Int, total: Int = 1000, resetAfter: Duration = .seconds(86_400)) async {
        await state.setGatewayStarts(remaining: remaining, total: total, resetAfter: resetAfter)
    }

    /// Whether the application has the MESSAGE_CONTENT intent enabled (asking for it otherwise closes with 4014).
    public func setMessageContentEnabled(_ enabled: Bool) async { await state.setMessageContentEnabled(enabled) }

    /// Hello's `heartbeat_interval` for new connections (Discord's is 41.25 s; tests shorten it).
    public func setHeartbeatInterval(_ interval: Duration) async {
        await state.setHeartbeatInterval(Int(interval.secondsValue * 1000))
    }

    /// The DM channel between `user` and the bot (created on first use).
    public func openDM(with user: User, bot: User? = nil) async -> Channel {
        await state.openDM(user: user, bot: bot ?? self.bot)
    }
}

extension DiscordEmulatorState {
    func setGatewayBase(_ url: String) { gateway.baseURL = url }
    func setMessageContentEnabled(_ enabled: Bool) { gateway.messageContentEnabled = enabled }
    func setHeartbeatInterval(_ milliseconds: Int) { gateway.heartbeatInterval = max(50, milliseconds) }
}
