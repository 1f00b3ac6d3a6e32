/// What the Bot API server does to a client that asks again with the offset it just used
/// (tdlib/telegram-bot-api `telegram-bot-api/Client.cpp`, `Client::process_get_updates_query`):
///
/// - the same offset within 3 s of the previous call's start, with `timeout` under 3: the timeout becomes 3 s;
/// - the same offset within 0.5 s of the previous call's start: `limit` becomes 1.
///
/// A client whose offset never moves (the update-id reset loop) thus gets one update per answer, always the same.
/// Missing parameters are the server's defaults: `offset` 0, `limit` 100 (1…100), `timeout` 0 (0…50).
struct TelegramRepeatedPollRule: Sendable {
    /// What one `getUpdates` call gets to work with.
    struct Call: Sendable, Equatable {
        var offset: Int64
        var limit: Int
        var timeout: Int
    }

    /// Longest `timeout` honoured (`LONG_POLL_MAX_TIMEOUT`).
    static let maxTimeout = 50

    /// How soon a repeated offset gets one update: 0.5 s on the real server; tests on a loaded machine widen it.
    var oneUpdateWindow: Duration = .milliseconds(500)
    private var previousOffset: Int64 = -1
    private var previousStart: ContinuousClock.Instant?

    /// The call as the server runs it; remembers its offset and start.
    mutating func admit(offset: Int64?, limit: Int64?, timeout: Int64?, at now: ContinuousClock.Instant) -> Call {
        let offset = offset ?? 0
        var call = Call(offset: offset, limit: Int(min(100, max(1, limit ?? 100))),
                        timeout: Int(min(Int64(Self.maxTimeout), max(0, timeout ?? 0))))
        if offset == previousOffset, let previousStart {
            if call.timeout < 3 && now < previousStart + .seconds(3) { call.timeout = 3 }
            if now < previousStart + oneUpdateWindow { call.limit = 1 }
        }
        previousOffset = offset
        previousStart = now
        return call
    }
}
