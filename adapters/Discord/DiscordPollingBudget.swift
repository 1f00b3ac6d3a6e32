import Foundation
import ReplyTensorCore

/// What idle polling costs and how long a mention may wait to be seen, reported by `status`.
public struct DiscordPollingBudget: Sendable, Hashable {
    /// Guilds and channels (text, announcement, active threads) being watched.
    public var guilds: Int
    public var channels: Int
    /// Requests of one idle round (listing channels and active threads of every guild).
    public var requestsPerRound: Int
    /// The time between two rounds: the poll interval, or longer when the request budget needs it.
    public var roundInterval: Duration
    /// The longest a new mention may wait before a round sees it: a whole round plus the requests of the next one
    /// up to its channel.
    public var worstCaseWait: Duration
    /// Idle requests per minute at this budget (discovery refreshes included).
    public var idleRequestsPerMinute: Double

    /// The budget for `guilds` guilds at `requestsPerSecond` with rounds no closer than `interval`;
    /// `discoveryEvery` adds the periodic guild list, roles and member lookups.
    public static func estimate(guilds: Int, channels: Int, interval: Duration, requestsPerSecond: Double,
                                discoveryEvery: Duration) -> DiscordPollingBudget {
        let perRound = 2 * guilds
        let spread = Double(perRound) / requestsPerSecond
        let round = max(interval.seconds, spread)
        // A mention written just after its guild was listed is seen by the next round's listing, then fetched.
        let wait = round + Double(perRound + 1) / requestsPerSecond
        let discoveryPerMinute = discoveryEvery.seconds > 0 ? Double(1 + 2 * guilds) * 60 / discoveryEvery.seconds : 0
        return DiscordPollingBudget(
            guilds: guilds, channels: channels, requestsPerRound: perRound,
            roundInterval: .milliseconds(Int64(round * 1000)), worstCaseWait: .milliseconds(Int64(wait * 1000)),
            // Every poll request, discovery included, is paced: never more than the budget.
            idleRequestsPerMinute: min(requestsPerSecond * 60,
                                       Double(perRound) * 60 / max(round, 0.001) + discoveryPerMinute))
    }

    /// The values `status` shows under the platform's state.
    var stateValues: [String: String] {
        ["poll.guilds": "\(guilds)", "poll.channels": "\(channels)",
         "poll.requests_per_round": "\(requestsPerRound)",
         "poll.round_seconds": String(format: "%.1f", roundInterval.seconds),
         "poll.idle_requests_per_minute": String(format: "%.1f", idleRequestsPerMinute),
         "poll.mention_wait_seconds": String(format: "%.1f", worstCaseWait.seconds)]
    }
}
