/// Exponential backoff with jitter. The n-th wait (n = 0, 1, …) is `initial × 2ⁿ`, capped at `maximum`, times a
/// random factor drawn from `jitter`. The default factor, between ½ and 1, is "equal jitter": a random duration
/// between half and all of the capped step, so waits still grow while retries from many callers spread out.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    /// The random factor applied to the capped step.
    public var jitter: ClosedRange<Double>
    public private(set) var failures = 0

    /// Between half and all of the step.
    public static let equalJitter: ClosedRange<Double> = 0.5...1.0

    public init(initial: Duration, maximum: Duration, jitter: ClosedRange<Double> = Backoff.equalJitter) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The next wait, counting one more failure.
    public mutating func next() -> Duration {
        defer { failures += 1 }
        return delay(forFailure: failures)
    }

    /// The wait after failure number `failure` (0 for the first), without counting it.
    public func delay(forFailure failure: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forFailure: failure, using: &generator)
    }

    /// The wait after failure number `failure` (0 for the first), with the jitter drawn from `generator`.
    public func delay(forFailure failure: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(failure, 0), 20)
        let step = min(initial.seconds * Double(1 << exponent), maximum.seconds)
        let wait = Double.random(in: (step * jitter.lowerBound)...max(step * jitter.upperBound, 0.001), using: &generator)
        return .milliseconds(Int64(wait * 1000))
    }

    public mutating func reset() { failures = 0 }
}
