import Foundation

/// Discord's rate limits as the emulator enforces them, per bot: fixed-window buckets per route and major
/// parameter, the global requests per second, and open `retry_after` waits.
///
/// Source: discord-api-docs, topics/rate-limits.mdx — per-route buckets keyed by route and top-level resource
/// ("major parameters": channel_id, guild_id, webhook_id+token) with `X-RateLimit-Limit/-Remaining/-Reset/
/// -Reset-After/-Bucket` headers; "All bots can make up to 50 requests per second to our API" (global, with
/// `X-RateLimit-Global` and `X-RateLimit-Scope: global`); a 429 carries a JSON body with `retry_after` (seconds,
/// float) and `global`.
struct DiscordEmulatorLimits {
    struct Window {
        var start: Date
        var count: Int
    }

    /// The headers and, when refused, the 429 to answer.
    struct Decision {
        var headers: [String: String]
        var refusal: (retryAfter: Double, global: Bool, scope: String)?
    }

    var windows: [String: Window] = [:]
    var starts: [String: [Date]] = [:]
    var blocks: [String: Date] = [:]
    var violations = DiscordEmulator.Violations()

    /// The bucket rule and hash of a route template.
    static func rule(_ template: String, rates: DiscordEmulator.Rates) -> (DiscordEmulator.BucketRule, String) {
        switch template {
        case "POST /channels/{major}/messages": return (rates.createMessage, "80c17d2f203122d936070c88c8d10f33")
        case "GET /channels/{major}/messages", "GET /channels/{major}/messages/{id}":
            return (rates.readMessages, "b9ed0ec3b63b4aa1a4e08c3c5e4b1c2d")
        case "POST /channels/{major}/typing": return (rates.typing, "6f2a4a6b0d1f4e2c9b8d7a6c5e4f3a2b")
        case let other where other.hasPrefix("GET /guilds/"):
            return (rates.guildRoutes, "g" + String(UInt(bitPattern: other.hashValue), radix: 16))
        default: return (rates.userRoutes, "u" + String(UInt(bitPattern: template.hashValue), radix: 16))
        }
    }

    /// Counts a request of `botID` on `template`/`major` and decides whether it may pass.
    mutating func admit(botID: String, template: String, major: String, rates: DiscordEmulator.Rates,
                        now: Date = Date()) -> Decision {
        let (rule, hash) = Self.rule(template, rates: rates)
        let bucketKey = "\(botID)|\(hash)|\(major)"
        let globalKey = "\(botID)|global"
        // Open retry_after waits first.
        for (key, global) in [(globalKey, true), (bucketKey, false)] {
            if let until = blocks[key], until > now {
                violations.retryAfterIgnored += 1
                return Decision(headers: ["X-RateLimit-Bucket": hash],
                                refusal: (until.timeIntervalSince(now), global, global ? "global" : "user"))
            }
        }
        var recent = (starts[botID] ?? []).filter { now.timeIntervalSince($0) < 1 }
        if recent.count >= rates.global {
            violations.globalExcess += 1
            starts[botID] = recent
            return Decision(headers: [:], refusal: (max(0.05, 1 - now.timeIntervalSince(recent[0])), true, "global"))
        }
        recent.append(now)
        starts[botID] = recent
        let per = rule.per.secondsValue
        var window = windows[bucketKey] ?? Window(start: now, count: 0)
        if now.timeIntervalSince(window.start) >= per { window = Window(start: now, count: 0) }
        let resetAfter = max(0, per - now.timeIntervalSince(window.start))
        var headers = ["X-RateLimit-Bucket": hash, "X-RateLimit-Limit": "\(rule.limit)",
                       "X-RateLimit-Reset-After": String(format: "%.3f", resetAfter),
                       "X-RateLimit-Reset": String(format: "%.3f", now.timeIntervalSince1970 + resetAfter)]
        if window.count >= rule.limit {
            violations.exhaustedBucket += 1
            violations.exhaustedByRoute[template, default: 0] += 1
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Scope"] = "user"
            windows[bucketKey] = window
            return Decision(headers: headers, refusal: (resetAfter, false, "user"))
        }
        window.count += 1
        windows[bucketKey] = window
        headers["X-RateLimit-Remaining"] = "\(rule.limit - window.count)"
        return Decision(headers: headers, refusal: nil)
    }

    /// A 429 injected by the fault plan: its wait is open for the bucket (or everything, when global).
    mutating func block(botID: String, template: String, major: String, rates: DiscordEmulator.Rates,
                        seconds: Double, global: Bool, now: Date = Date()) -> [String: String] {
        let (_, hash) = Self.rule(template, rates: rates)
        let key = global ? "\(botID)|global" : "\(botID)|\(hash)|\(major)"
        blocks[key] = max(blocks[key] ?? now, now.addingTimeInterval(seconds))
        return ["X-RateLimit-Bucket": hash, "X-RateLimit-Scope": global ? "global" : "user"]
    }
}

extension Duration {
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
