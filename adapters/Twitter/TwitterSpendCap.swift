import Foundation
import ReplyTensorCore

/// `daily_budget_usd`: what the bot spends on X per UTC day at the configured prices, counted durably in the adapter
/// state store (`spend.day`, `spend.micro_usd`, millionths of a dollar) *before* a request leaves, so a restart keeps
/// the day's count and no request that would pass the cap goes out. X's pay-per-use bills "per resource fetched
/// (reads) or per request (writes)" and only "successful responses that return data"
/// (docs.x.com/x-api/getting-started/pricing, docs.x.com/x-api/fundamentals/post-cap):
/// - a post costs `price_post_usd`, or `price_post_with_url_usd` when it has a URL; a refused post (4xx) is given
///   back, a 5xx stays counted (the post may exist);
/// - a read reserves `price_read_usd` for every post it may return (`max_results`) and gives back what it did not
///   return. X charges a post read twice in one UTC day once; this count charges it twice, erring towards the cap.
///
/// The day's spend is counted with or without a cap (`status` shows it); only a cap refuses. Owned by one adapter and
/// used on its actor only: the lock keeps each check-and-count whole across its awaits. When several replicas share
/// the store each check-and-count is also one atomic step there (`spend` = `day micro-usd`, `TwitterDailyCount`).
final class TwitterSpendCap {
    static let dayKey = "spend.day"
    static let spentKey = "spend.micro_usd"
    static let sharedKey = "spend"

    let spending: TwitterSpending
    private let count: TwitterDailyCount
    private let now: @Sendable () -> Date
    private let lock = AsyncLock()

    init(spending: TwitterSpending, state: any AdapterStateStore, now: @escaping @Sendable () -> Date,
         shared: Bool = false) {
        self.spending = spending
        self.count = TwitterDailyCount(dayKey: Self.dayKey, countKey: Self.spentKey, sharedKey: Self.sharedKey,
                                       state: state, now: now, shared: shared)
        self.now = now
    }

    /// Thrown inside a read's reservation when not even the minimum fits (nothing counted).
    private struct Unaffordable: Error {}

    /// The cap in millionths of a dollar; 0 = none.
    var cap: Int { TwitterSpending.micros(spending.dailyBudgetUSD) }
    var readPrice: Int { TwitterSpending.micros(spending.priceReadUSD) }

    /// The price of posting `text` and the key it comes from.
    func postPrice(of text: String) -> (micros: Int, key: String) {
        PostText.hasURL(text) ? (TwitterSpending.micros(spending.pricePostWithURLUSD), "price_post_with_url_usd")
            : (TwitterSpending.micros(spending.pricePostUSD), "price_post_usd")
    }

    /// Spent today (UTC), in millionths of a dollar.
    func spentToday(isolation: isolated (any Actor)? = #isolation) async throws -> Int {
        try await count.today()
    }

    /// Counts `amount` durably; a permanent failure naming the cap when it would pass it (nothing counted then).
    func reserve(_ amount: Int, for what: String, isolation: isolated (any Actor)? = #isolation) async throws {
        await lock.acquire()
        defer { lock.release() }
        let cap = cap
        _ = try await count.update { spent in
            if cap > 0, spent + amount > cap {
                throw BotError(.platform, "daily_budget_usd of \(TwitterSpending.dollars(cap)) reached for today "
                                   + "(UTC): \(TwitterSpending.dollars(spent)) spent, \(what) costs "
                                   + "\(TwitterSpending.dollars(amount))", platform: .twitter, isPermanent: true)
            }
            return spent + amount
        }
    }

    /// Gives back `amount` counted by a reservation that was not spent.
    func refund(_ amount: Int, isolation: isolated (any Actor)? = #isolation) async throws {
        guard amount > 0 else { return }
        await lock.acquire()
        defer { lock.release() }
        _ = try await count.update { max(0, $0 - amount) }
    }

    /// Reserves a read of up to `limit` posts: the largest `max_results` the cap still allows (at most `limit`),
    /// or nil, with nothing reserved, when not even `minimum` posts fit under the cap.
    func reserveRead(upTo limit: Int, minimum: Int, isolation: isolated (any Actor)? = #isolation) async throws
        -> Int? {
        guard cap > 0, readPrice > 0 else { return limit }
        await lock.acquire()
        defer { lock.release() }
        let (cap, price) = (cap, readPrice)
        do {
            let spent = try await count.update { spent in
                let affordable = min(limit, max(0, cap - spent) / price)
                guard affordable >= minimum else { throw Unaffordable() }
                return spent + affordable * price
            }
            return (spent.after - spent.before) / price
        } catch is Unaffordable {
            return nil
        }
    }

    /// After a read of `reserved` posts (`reserveRead`) that returned `returned`: counts what it cost.
    func settleRead(reserved: Int, returned: Int, isolation: isolated (any Actor)? = #isolation) async throws {
        if cap > 0, readPrice > 0 {
            try await refund(max(0, reserved - returned) * readPrice)
        } else if returned > 0, readPrice > 0 {
            try await reserve(returned * readPrice, for: "a read")
        }
    }

    /// The time until the next UTC day starts (when the spend count starts again).
    func untilNextDay() -> Duration {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = now()
        let start = calendar.startOfDay(for: date)
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? date.addingTimeInterval(86_400)
        return .milliseconds(Int64(max(1, next.timeIntervalSince(date) * 1000)))
    }
}
