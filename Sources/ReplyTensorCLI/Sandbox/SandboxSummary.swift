import Foundation

/// What a scenario expected and what happened.
struct SandboxSummary {
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

    var passed: Bool { expectations.allSatisfy(\.held) }

    mutating func expect(_ description: String, _ held: Bool, _ detail: String = "") {
        expectations.append(Expectation(description: description, held: held, detail: detail))
    }

    func percentile(_ p: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
        return sorted[index].seconds * 1000
    }

    func table() -> String {
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
            "  rate-rule violations  \(violations)",
            "  latency p50 / p95     \(format(percentile(0.5))) / \(format(percentile(0.95))) (mention to reply, excluding responder time)",
            "  duration              \(String(format: "%.1f s", seconds))",
            "",
            passed ? "All \(expectations.count) expectations held." : "\(expectations.filter { !$0.held }.count) expectation(s) failed.",
        ]
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let object: [String: Any] = [
            "scenario": scenario, "passed": passed, "mentions": mentions, "replies": replies,
            "duplicates": duplicates, "lost": lost, "skipped": skipped, "failed": failed, "rejected": rejected,
            "rate_rule_violations": violations, "seconds": seconds,
            "latency_ms": ["p50": percentile(0.5).map { $0 as Any } ?? NSNull(),
                           "p95": percentile(0.95).map { $0 as Any } ?? NSNull(), "excludes": "responder time"],
            "expectations": expectations.map { ["description": $0.description, "held": $0.held, "detail": $0.detail] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
