import Foundation

/// The Gateway's send limit: "Clients are allowed to send 120 gateway events every 60 seconds, meaning you can send
/// an average of 2 commands per second" (https://discord.com/developers/docs/events/gateway, "Rate Limiting");
/// going over it closes the connection with 4008. A send waits until the oldest of the last 120 is 60 s old.
actor DiscordGatewaySendLimiter {
    static let limit = 120
    static let window: Duration = .seconds(60)

    private let clock = ContinuousClock()
    private var sent: [ContinuousClock.Instant] = []

    /// Returns when one more send fits in the window, and counts it.
    func acquire() async throws {
        while true {
            let now = clock.now
            sent.removeAll { now - $0 >= Self.window }
            if sent.count < Self.limit {
                sent.append(now)
                return
            }
            try await clock.sleep(until: sent[0] + Self.window)
        }
    }

    var sentInWindow: Int {
        let now = clock.now
        return sent.filter { now - $0 < Self.window }.count
    }
}
