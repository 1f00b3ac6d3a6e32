import Foundation

/// Wall-clock nanosecond nonces that strictly increase for one dendrite (one `uuid`), even when two requests are
/// signed within the same nanosecond or the clock steps back.
public actor NonceClock {
    private var last: UInt64 = 0
    private let now: @Sendable () -> UInt64

    public init(now: @escaping @Sendable () -> UInt64 = NonceClock.wallClockNanoseconds) { self.now = now }

    public func next() -> UInt64 {
        last = max(now(), last + 1)
        return last
    }

    public static let wallClockNanoseconds: @Sendable () -> UInt64 = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
