import Foundation
import Synchronization

/// Every result line printed so far (as its JSON), and whether a benchmark failed.
final class BenchmarkResults: Sendable {
    static let shared = BenchmarkResults()
    private let state = Mutex<(lines: [Data], failed: Bool)>(([], false))

    func add(_ line: Data) { state.withLock { $0.lines.append(line) } }
    func fail() { state.withLock { $0.failed = true } }
    var failed: Bool { state.withLock { $0.failed } }

    /// The result lines as JSON objects.
    var lines: [[String: Any]] {
        state.withLock { $0.lines }.compactMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
    }
}
