import Foundation
import ReplyTensorCore

/// A Cloudflare ban outlives a restart: the end of the hold is kept in the adapter state (`ban.until`, shown by
/// `replytensor status`), and the next run holds every request until then instead of prolonging the ban.
extension DiscordAdapter {
    /// State key of when the current Cloudflare ban hold ends (ISO 8601).
    public static let banKey = "ban.until"

    /// What the client calls when Cloudflare bans this IP: records the end of the hold.
    static func holdRecorder(_ environment: AdapterEnvironment) -> @Sendable (Duration) async -> Void {
        { hold in
            let now = environment.now()
            let until = now.addingTimeInterval(hold.seconds)
            try? await environment.state.setValue(until.formatted(.iso8601), for: DiscordAdapter.banKey,
                                                  platform: .discord, at: now)
        }
    }

    /// Holds requests until the end of a ban an earlier run recorded (and then fails at once, as every request
    /// does while a hold is open); forgets a hold that is over.
    func restoreBanHold() async throws {
        if let error = await limiter.holdError { throw error }
        guard let stored = try await environment.state.value(Self.banKey, for: .discord) else { return }
        let remaining = (try? Date(stored, strategy: .iso8601)).map { $0.timeIntervalSince(environment.now()) } ?? 0
        guard remaining > 0 else {
            try await environment.state.setValue(nil, for: Self.banKey, platform: .discord, at: environment.now())
            return
        }
        let reason = "Cloudflare banned this IP from Discord's API; every Discord request is held until \(stored) "
            + "(recorded before the restart)"
        logger.error("\(reason)")
        await limiter.hold(for: .milliseconds(Int64(remaining * 1000)), reason: reason)
        if let error = await limiter.holdError { throw error }
    }
}
