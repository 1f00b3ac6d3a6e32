import Foundation

/// Issue 14's goals, from the result lines of this run: one JSON line per goal whose figure was measured, with the
/// figure, the target and `met`. A goal whose benchmark did not run prints nothing.
enum IssueGoals {
    typealias Line = [String: Any]

    static func report(_ lines: [Line]) {
        peer(lines)
        if let memory = lines.first(where: { $0["benchmark"] as? String == "memory_three_platforms" }),
           let peak = number(memory["peak_rss_mib"]) {
            goal("peak RSS of replytensor run, all three platforms, after 1,000 replies", peak, "MiB", atMost: 30,
                 source: "memory_three_platforms")
        }
        let engine = lines.filter { $0["benchmark"] as? String == "engine_throughput" }
            .max { (number($0["messages"]) ?? 0) < (number($1["messages"]) ?? 0) }
        if let engine, let rate = number(engine["messages_per_second"]) {
            goal("engine throughput, in-memory platform, instant responder, SQLite on disk", rate, "mentions/s",
                 atLeast: 10_000, source: "engine_throughput")
        }
        ledger(lines)
        if let idle = lines.first(where: { $0["benchmark"] as? String == "idle_three_platforms" }) {
            if let percent = number(idle["idle_cpu_percent"]) {
                goal("idle CPU, 3 platforms, long poll", percent, "%", atMost: 0.1, source: "idle_three_platforms")
            }
            if let first = number(idle["start_to_first_poll_ms"]) {
                goal("start to first poll (3 platforms)", first, "ms", atMost: 50, source: "idle_three_platforms")
            }
        }
        if let telegram = lines.first(where: { $0["benchmark"] as? String == "telegram_end_to_end" }),
           let first = number(telegram["start_to_first_poll_ms"]) {
            goal("start to first poll (Telegram)", first, "ms", atMost: 50, source: "telegram_end_to_end")
        }
    }

    /// CPU per reply: absolute and against python-telegram-bot's in the same run.
    private static func peer(_ lines: [Line]) {
        let peer = lines.filter { $0["benchmark"] as? String == "telegram_peer" }
        guard let ours = peer.first(where: { $0["bot"] as? String == "replytensor" }),
              let cpu = number(ours["cpu_ms_per_reply"]) else { return }
        goal("bot CPU per reply, Telegram + gateway emulators, 1,000 mentions / 100 groups", cpu, "ms", atMost: 0.75,
             source: "telegram_peer")
        if let theirs = peer.first(where: { $0["bot"] as? String == "python-telegram-bot" }),
           let their = number(theirs["cpu_ms_per_reply"]), cpu > 0 {
            goal("python-telegram-bot's CPU per reply over ours (≥ 10: ours ≤ 1/10 of theirs)", their / cpu, "×",
                 atLeast: 10, source: "telegram_peer")
        }
    }

    /// Lookup and admit (pages of 100) per mention at 10^6 rows, and their growth from 10^3 rows.
    private static func ledger(_ lines: [Line]) {
        let ledger = lines.filter { $0["benchmark"] as? String == "ledger" }
        guard let small = ledger.first(where: { number($0["rows"]) == 1_000 }),
              let large = ledger.first(where: { number($0["rows"]) == 1_000_000 }) else { return }
        func admitPerMention(_ line: Line) -> Double? { number(line["insert_page_of_100_ms"]).map { $0 * 1000 / 100 } }
        if let lookup = number(large["lookup_us"]) {
            goal("ledger lookup at 10^6 rows", lookup, "µs", atMost: 10, source: "ledger")
            if let base = number(small["lookup_us"]), base > 0 {
                goal("ledger lookup, 10^6 rows over 10^3 rows", lookup / base, "×", atMost: 1.5, source: "ledger")
            }
        }
        if let admit = admitPerMention(large) {
            goal("ledger admit per mention (pages of 100) at 10^6 rows", admit, "µs", atMost: 20, source: "ledger")
            if let base = admitPerMention(small), base > 0 {
                goal("ledger admit, 10^6 rows over 10^3 rows", admit / base, "×", atMost: 1.5, source: "ledger")
            }
        }
    }

    private static func goal(_ name: String, _ figure: Double, _ unit: String, atMost: Double? = nil,
                             atLeast: Double? = nil, source: String) {
        let met = (atMost.map { figure <= $0 } ?? true) && (atLeast.map { figure >= $0 } ?? true)
        let target = atMost.map { "≤ \($0)" } ?? atLeast.map { "≥ \($0)" } ?? ""
        let fields: [String: Any] = ["goal": name, "figure": figure, "unit": unit, "target": target, "met": met,
                                     "source": source]
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as NSNumber: value.doubleValue
        case let value as Double: value
        case let value as Int: Double(value)
        default: nil
        }
    }
}
