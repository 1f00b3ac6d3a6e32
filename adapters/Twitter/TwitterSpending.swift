import ReplyTensorCore

/// `daily_budget_usd` and the pay-per-use prices it is counted with: the part of the `[twitter]` section about money.
/// `TwitterConfiguration.read(from:)` reads it from the same section; the defaults are the contract's.
///
/// The default prices are X's, as docs.x.com/x-api/getting-started/pricing listed them on 2026-12-04: "Posts: Read
/// $0.005 per resource", "Content: Create (with URL) $0.200 per request", and a summoned reply about $0.010.
public struct TwitterSpending: Sendable, Equatable {
    /// `daily_budget_usd`: the most the bot may spend on X per UTC day (posts and reads); 0 = no spend cap.
    public var dailyBudgetUSD: Double
    /// `price_post_usd`: one post without a URL.
    public var pricePostUSD: Double
    /// `price_post_with_url_usd`: one post with a URL (as twitter-text finds URLs).
    public var pricePostWithURLUSD: Double
    /// `price_read_usd`: one post returned by a read (mentions, the bot's own timeline).
    public var priceReadUSD: Double

    public init(dailyBudgetUSD: Double = 0, pricePostUSD: Double = 0.01, pricePostWithURLUSD: Double = 0.20,
                priceReadUSD: Double = 0.005) {
        self.dailyBudgetUSD = max(0, dailyBudgetUSD)
        self.pricePostUSD = max(0, pricePostUSD)
        self.pricePostWithURLUSD = max(0, pricePostWithURLUSD)
        self.priceReadUSD = max(0, priceReadUSD)
    }

    static func read(from settings: some SettingsReader) -> TwitterSpending {
        let defaults = TwitterSpending()
        return TwitterSpending(
            dailyBudgetUSD: settings.double("daily_budget_usd", default: defaults.dailyBudgetUSD),
            pricePostUSD: settings.double("price_post_usd", default: defaults.pricePostUSD),
            pricePostWithURLUSD: settings.double("price_post_with_url_usd", default: defaults.pricePostWithURLUSD),
            priceReadUSD: settings.double("price_read_usd", default: defaults.priceReadUSD))
    }

    /// `usd` in millionths of a dollar, the unit the store counts in.
    static func micros(_ usd: Double) -> Int { Int((usd * 1_000_000).rounded()) }

    /// `$0.215` (three decimals, more when a price needs them).
    static func dollars(_ micros: Int) -> String {
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.count > 3, fraction.hasSuffix("0") { fraction.removeLast() }
        return "$\(whole).\(fraction)"
    }
}
