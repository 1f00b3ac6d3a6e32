import Foundation
import ReplyTensorCore

/// Keeps every request inside Discord's limits, from what the responses say:
/// - buckets: `X-RateLimit-Bucket` + the route's major parameter → remaining and reset; no request goes into a bucket
///   known to be exhausted, and each bucket (or route, while its bucket is unknown) has one request in flight at a
///   time, so a 429 or an exhausted count is known before the next request of that bucket leaves;
/// - the global limit: at most `globalPerSecond` requests in any second (counted from start to a second after the end), and a global 429 stops everything for
///   its `retry_after`;
/// - invalid requests: 401, 403 and 429 answers (except shared-scope 429s) in the last 10 minutes slow every request
///   down past a soft limit and hold them past a hard limit, far below the 10,000 that gets an IP banned;
/// - a Cloudflare ban (a 429 without Discord's JSON body) holds every request for a long time: each fails at once,
///   without reaching the network, until the hold ends;
/// - a 401 stops every later request at once.
actor DiscordRateLimiter {
    struct Bucket {
        var limit: Int
        var remaining: Int
        /// When the bucket refills; `nil` once it refilled and no answer has said when the new window ends.
        var resetAt: ContinuousClock.Instant?
    }

    /// A reserved request slot, handed back with the answer.
    struct Ticket: Sendable {
        var id: Int
        var route: DiscordRoute
        var bucketKey: String?
        /// The bucket (or, while its bucket is unknown, the route) this request holds: one request at a time each.
        var lock: String
    }

    /// What the limiter knows, for `status` and tests.
    struct Snapshot: Sendable {
        var buckets: Int
        var invalidInWindow: Int
        var globalBlocked: Bool
    }

    private let clock = ContinuousClock()
    private let globalPerSecond: Int
    private let softLimit: Int
    private let hardLimit: Int
    private var routeBuckets: [String: String] = [:]
    private var buckets: [String: Bucket] = [:]
    private var inFlight: Set<String> = []
    /// Requests in flight (no end yet) and requests that ended less than a second ago. Discord counts a request
    /// when it arrives, somewhere between its start and its end here: counting it until a second after its end keeps
    /// every one-second window at Discord under the limit, whatever the network delays.
    private var recent: [Int: (start: ContinuousClock.Instant, end: ContinuousClock.Instant?)] = [:]
    private var nextTicket = 0
    private var globalBlockedUntil: ContinuousClock.Instant?
    private var invalid: [ContinuousClock.Instant] = []
    private(set) var stopReason: String?
    private(set) var invalidTotal = 0
    /// After a Cloudflare ban: nothing leaves before this instant.
    private var heldUntil: ContinuousClock.Instant?
    private var holdReason = ""

    static let invalidWindow: Duration = .seconds(600)
    /// The window assumed for an exhausted bucket whose reset no answer told (per-route windows are a few seconds).
    static let unknownWindow: Duration = .seconds(5)

    init(globalPerSecond: Int, softLimit: Int, hardLimit: Int) {
        self.globalPerSecond = globalPerSecond
        self.softLimit = softLimit
        self.hardLimit = hardLimit
    }

    /// Waits until `route` may be requested and reserves the slot. With `waiting: false` returns `nil` instead of
    /// waiting (for best-effort requests such as typing).
    func acquire(_ route: DiscordRoute, waiting: Bool = true) async throws -> Ticket? {
        var slowed = false
        while true {
            if let stopReason { throw BotError(.platformStopped, stopReason, platform: .discord, httpStatus: 401) }
            try Task.checkCancellation()
            let now = clock.now
            if let holdError {
                // Not a wait: a post blocked here for an hour would hold up shutdown. The caller waits instead.
                guard waiting else { return nil }
                throw holdError
            }
            var wait: Duration = .zero
            if let until = globalBlockedUntil, until > now { wait = max(wait, until - now) }
            recent = recent.filter { $0.value.end.map { now - $0 < .seconds(1) } ?? true }
            if recent.count >= globalPerSecond {
                let ended = recent.values.compactMap(\.end).min()
                wait = max(wait, ended.map { $0 + .seconds(1) - now } ?? .milliseconds(5))
            }
            invalid.removeAll { now - $0 >= Self.invalidWindow }
            if invalid.count >= hardLimit, let oldest = invalid.first {
                wait = max(wait, oldest + Self.invalidWindow - now)
            }
            let bucketKey = routeBuckets[route.key].map { "\($0)|\(route.major)" }
            // One request at a time per bucket: after a 429 nothing of that bucket is still on its way.
            let lock = bucketKey ?? "route:\(route.key)"
            if inFlight.contains(lock) { wait = max(wait, .milliseconds(2)) }
            if let bucketKey, var bucket = buckets[bucketKey] {
                if let reset = bucket.resetAt, reset <= now {
                    bucket.remaining = bucket.limit
                    bucket.resetAt = nil
                    buckets[bucketKey] = bucket
                }
                if bucket.remaining <= 0 {
                    // Exhausted: wait for its reset, or for an answer saying when the new window ends.
                    wait = max(wait, bucket.resetAt.map { $0 - now } ?? .milliseconds(10))
                }
            }
            if wait > .zero {
                guard waiting else { return nil }
                try await Task.sleep(for: wait)
                continue
            }
            if invalid.count >= softLimit && waiting && !slowed {
                // Many invalid answers lately: slow everything down rather than risk a ban (then look again).
                slowed = true
                try await Task.sleep(for: .seconds(1))
                continue
            }
            nextTicket += 1
            recent[nextTicket] = (clock.now, nil)
            if let bucketKey { buckets[bucketKey]?.remaining -= 1 }
            inFlight.insert(lock)
            return Ticket(id: nextTicket, route: route, bucketKey: bucketKey, lock: lock)
        }
    }

    /// Learns from an answer's status and headers (`headers` keys lowercased). `retryAfter`/`global` from a 429 body.
    func complete(_ ticket: Ticket, status: Int?, headers: [String: String], retryAfter: Double? = nil,
                  global: Bool = false) {
        inFlight.remove(ticket.lock)
        let now = clock.now
        recent[ticket.id]?.end = now
        if headers["x-ratelimit-reset-after"] == nil, status != 429, let key = ticket.bucketKey, var bucket = buckets[key],
           bucket.remaining <= 0, bucket.resetAt == nil {
            // An answer without rate-limit headers (a transport failure, a 5xx) cannot say when the window ends, and
            // without a reset no request of this bucket would ever leave again: assume Discord's longest route window.
            bucket.resetAt = now + Self.unknownWindow
            buckets[key] = bucket
        }
        guard let status else { return }
        if let hash = headers["x-ratelimit-bucket"], !hash.isEmpty {
            routeBuckets[ticket.route.key] = hash
            let key = "\(hash)|\(ticket.route.major)"
            if let limit = headers["x-ratelimit-limit"].flatMap(Int.init),
               let remaining = headers["x-ratelimit-remaining"].flatMap(Int.init),
               let resetAfter = headers["x-ratelimit-reset-after"].flatMap(Double.init) {
                let reset = now + .milliseconds(Int64((resetAfter * 1000).rounded(.up)))
                if var bucket = buckets[key] {
                    // Answers to concurrent requests arrive in any order, and requests reserved here may not be
                    // counted by Discord yet: keep the lower count and the later reset.
                    bucket.remaining = min(bucket.remaining, remaining)
                    bucket.resetAt = max(bucket.resetAt ?? reset, reset)
                    bucket.limit = limit
                    buckets[key] = bucket
                } else {
                    buckets[key] = Bucket(limit: limit, remaining: remaining, resetAt: reset)
                }
            }
        }
        if status == 401 || status == 403 || (status == 429 && headers["x-ratelimit-scope"] != "shared") {
            invalid.append(now)
            invalidTotal += 1
        }
        if status == 429 {
            let wait = Duration.milliseconds(Int64(((retryAfter ?? 1) * 1000).rounded(.up)))
            if global || headers["x-ratelimit-global"] == "true" {
                globalBlockedUntil = max(globalBlockedUntil ?? now, now + wait)
            } else {
                let hash = headers["x-ratelimit-bucket"] ?? routeBuckets[ticket.route.key] ?? "route:\(ticket.route.key)"
                routeBuckets[ticket.route.key] = hash
                let key = "\(hash)|\(ticket.route.major)"
                var bucket = buckets[key] ?? Bucket(limit: 1, remaining: 0, resetAt: nil)
                bucket.remaining = 0
                bucket.resetAt = max(bucket.resetAt ?? now, now + wait)
                buckets[key] = bucket
            }
        }
    }

    /// After a Cloudflare ban: every request fails at once with `reason` for `duration` (a longer hold wins).
    func hold(for duration: Duration, reason: String) {
        let until = clock.now + duration
        if until > (heldUntil ?? clock.now) {
            heldUntil = until
            holdReason = reason
        }
    }

    /// What is left of a ban hold, `nil` when none is open.
    var holdRemaining: Duration? {
        guard let until = heldUntil, until > clock.now else { return nil }
        return until - clock.now
    }

    /// The error every request gets while a ban hold is open.
    var holdError: BotError? {
        holdRemaining.map { BotError(.rateLimited, holdReason, platform: .discord, httpStatus: 429, retryAfter: $0,
                                     scope: "global") }
    }

    /// After a 401: every later request fails at once with `reason`.
    func stop(_ reason: String) { stopReason = reason }

    var snapshot: Snapshot {
        let now = clock.now
        return Snapshot(buckets: buckets.count, invalidInWindow: invalid.filter { now - $0 < Self.invalidWindow }.count,
                        globalBlocked: (globalBlockedUntil ?? now) > now)
    }
}
