import Foundation
import ReplyTensorTestSupport

/// What a scenario expected and what happened.
public struct SandboxSummary {
    struct Expectation {
        var description: String
        var held: Bool
        var detail: String
    }

    var scenario: String
    var expectations: [Expectation] = []
    var mentions = 0
    var replies = 0
    var duplicates = 0
    var lost = 0
    var skipped: [String: Int] = [:]
    var failed: [String: Int] = [:]
    var rejected: [String: Int] = [:]
    var violations = 0
    var latencies: [Duration] = []
    var seconds = 0.0
    var unknown = 0
    /// Replies per second over the measured stretch (heavy scenarios).
    var repliesPerSecond: Double?
    /// Peak resident memory of the bot, where measured.
    var peakRSSBytes: Int?
    /// Extra figures a scenario reports (name → value), shown in the table and the JSON.
    var figures: [String: Double] = [:]

    public var passed: Bool { expectations.allSatisfy(\.held) }

    mutating func expect(_ description: String, _ held: Bool, _ detail: String = "") {
        expectations.append(Expectation(description: description, held: held, detail: detail))
    }

    func percentile(_ p: Double) -> Double? { Self.percentile(p, of: latencies) }

    /// The `p` percentile (0…1) of `values`, in milliseconds.
    static func percentile(_ p: Double, of latencies: [Duration]) -> Double? {
        Percentile.milliseconds(p, of: latencies)
    }

    public func table() -> String {
        var lines = ["", "Summary of scenario \"\(scenario)\""]
        for expectation in expectations {
            lines.append("  \(expectation.held ? "✔" : "✘") \(expectation.description)\(expectation.detail.isEmpty ? "" : " — \(expectation.detail)")")
        }
        let format = { (value: Double?) in value.map { String(format: "%.1f ms", $0) } ?? "-" }
        lines += [
            "",
            "  mentions admitted     \(mentions)",
            "  replies sent          \(replies)",
            "  duplicate replies     \(duplicates)",
            "  lost mentions         \(lost)",
            "  skipped               \(skipped.isEmpty ? "0" : skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            "  failed                \(failed.isEmpty ? "0" : failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            "  unknown (in flight)   \(unknown)",
            "  rate-rule violations  \(violations)",
            "  latency p50 / p95     \(format(percentile(0.5))) / \(format(percentile(0.95))) (mention to reply, excluding responder time)",
            "  duration              \(String(format: "%.1f s", seconds))",
        ]
        if let repliesPerSecond { lines.append("  replies per second    \(String(format: "%.1f", repliesPerSecond))") }
        if let peakRSSBytes { lines.append("  peak RSS              \(String(format: "%.1f MiB", Double(peakRSSBytes) / 1_048_576))") }
        for (name, value) in figures.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.padding(toLength: 26, withPad: " ", startingAt: 0))\(value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value))")
        }
        lines += [
            "",
            passed ? "All \(expectations.count) expectations held." : "\(expectations.filter { !$0.held }.count) expectation(s) failed.",
        ]
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        var object: [String: Any] = [
            "scenario": scenario, "passed": passed, "mentions": mentions, "replies": replies,
            "duplicates": duplicates, "lost": lost, "skipped": skipped, "failed": failed, "rejected": rejected,
            "rate_rule_violations": violations, "seconds": seconds,
            "latency_ms": ["p50": percentile(0.5).map { $0 as Any } ?? NSNull(),
                           "p95": percentile(0.95).map { $0 as Any } ?? NSNull(), "excludes": "responder time"],
            "expectations": expectations.map { ["description": $0.description, "held": $0.held, "detail": $0.detail] },
            "unknown": unknown, "figures": figures,
        ]
        object["replies_per_second"] = repliesPerSecond.map { $0 as Any } ?? NSNull()
        object["peak_rss_bytes"] = peakRSSBytes.map { $0 as Any } ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
