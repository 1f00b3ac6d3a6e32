/// The nearest-rank percentile the sandbox and the benchmarks report.
public enum Percentile {
    /// The `p` percentile (0…1) of `durations`, in milliseconds; nil when there are none.
    public static func milliseconds(_ p: Double, of durations: [Duration]) -> Double? {
        guard !durations.isEmpty else { return nil }
        let sorted = durations.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
        let (seconds, attoseconds) = sorted[index].components
        return (Double(seconds) + Double(attoseconds) / 1e18) * 1000
    }
}
