/// Exponential backoff with full jitter.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public private(set) var failures = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The next wait: a random duration between half and all of `initial × 2^failures`, capped at `maximum`.
    public mutating func next() -> Duration {
        let exponent = min(failures, 20)
        failures += 1
        let ceiling = min(initial.seconds * Double(1 << exponent), maximum.seconds)
        return .milliseconds(Int64(Double.random(in: (ceiling / 2)...max(ceiling, 0.001)) * 1000))
    }

    public mutating func reset() { failures = 0 }
}
