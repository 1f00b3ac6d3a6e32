import Foundation
import Synchronization

/// What `replytensor status` and the metrics show about the Gateway: its state, session resumes, reconnects, the
/// last heartbeat's round trip and the dispatches received. Kept in the adapter state under `gateway.*`.
public struct DiscordGatewayStatus: Sendable, Hashable {
    /// `connecting`, `identifying`, `resuming`, `connected`, `waiting` (no session starts left) or `stopped`.
    public var state = "connecting"
    public var resumes = 0
    public var reconnects = 0
    public var identifies = 0
    /// Milliseconds between the last heartbeat and its ACK.
    public var heartbeatLatencyMilliseconds: Int?
    public var eventsReceived = 0

    /// The adapter-state keys `status` lists.
    public var stateValues: [String: String] {
        var values = ["gateway.state": state, "gateway.resumes": "\(resumes)", "gateway.reconnects": "\(reconnects)",
                      "gateway.identifies": "\(identifies)", "gateway.events_received": "\(eventsReceived)"]
        if let latency = heartbeatLatencyMilliseconds { values["gateway.heartbeat_latency_ms"] = "\(latency)" }
        return values
    }
}

/// The live status, shared between the connection (which updates it) and the adapter (which reports it).
final class DiscordGatewayStats: Sendable {
    private let status = Mutex(DiscordGatewayStatus())

    var current: DiscordGatewayStatus { status.withLock { $0 } }

    func update(_ change: (inout DiscordGatewayStatus) -> Void) {
        status.withLock { change(&$0) }
    }
}
