import Foundation
import ReplyTensorTestSupport

/// `/metrics` parsed by prometheus_client's own text-format parser (the oracle), as samples.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    private static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            for s in family.samples:
                out.append({"name": s.name, "labels": s.labels, "value": s.value})
        print(json.dumps(out))
        """

    init(parsing text: Data) throws {
        let json = try PythonOracle.run(script: Self.parser, input: text)
        let list = try JSONSerialization.jsonObject(with: json) as? [[String: Any]] ?? []
        samples = list.map {
            Sample(name: $0["name"] as? String ?? "", labels: $0["labels"] as? [String: String] ?? [:],
                   value: ($0["value"] as? NSNumber)?.doubleValue ?? .nan)
        }
    }

    /// The sum of every sample named `name` whose labels include `labels`.
    func sum(_ name: String, _ labels: [String: String] = [:], where extra: ([String: String]) -> Bool = { _ in true })
        -> Double {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } && extra(sample.labels)
        }.reduce(0) { $0 + $1.value }
    }
}
