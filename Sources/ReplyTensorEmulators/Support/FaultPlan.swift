import Foundation

/// A fault an emulator can inject instead of its normal answer.
public enum Fault: Sendable, Hashable {
    /// Answer with this status and the platform's error body for it.
    case status(Int)
    /// Answer 429 with the platform's rate-limit body and this wait.
    case rateLimited(retryAfterSeconds: Double)
    /// Wait this long before answering normally.
    case stall(Duration)
    /// Answer 200 with a body that is not valid JSON.
    case malformedJSON
    /// Start the answer and break the connection.
    case dropConnection
}

/// Decides which requests get a fault: queued one-shot faults first, then a seeded random rate.
public actor FaultPlan {
    private var queued: [(route: String?, fault: Fault)] = []
    private var rate: Double = 0
    private var palette: [Fault] = []
    private var generator: SeededGenerator
    /// Routes (path suffixes) that random faults never touch, e.g. identity calls.
    private var exempt: Set<String> = []
    public private(set) var injected: [Fault] = []

    public init(seed: UInt64 = 42) { generator = SeededGenerator(seed: seed) }

    /// The next request (on `route`, a path suffix, or any route) gets `fault`.
    public func enqueue(_ fault: Fault, route: String? = nil, times: Int = 1) {
        for _ in 0..<times { queued.append((route, fault)) }
    }

    /// A fraction of requests (0…1) get a fault drawn from `palette`.
    public func randomFaults(rate: Double, palette: [Fault], exempt: Set<String> = []) {
        self.rate = rate
        self.palette = palette
        self.exempt = exempt
    }

    public func clear() {
        queued.removeAll()
        rate = 0
    }

    /// The fault for a request on `path`, if any.
    public func fault(for path: String) -> Fault? {
        if let index = queued.firstIndex(where: { $0.route.map { path.hasSuffix($0) } ?? true }) {
            let fault = queued.remove(at: index).fault
            injected.append(fault)
            return fault
        }
        guard rate > 0, !palette.isEmpty, !exempt.contains(where: { path.hasSuffix($0) }) else { return nil }
        guard Double.random(in: 0..<1, using: &generator) < rate else { return nil }
        let fault = palette.randomElement(using: &generator)!
        injected.append(fault)
        return fault
    }
}

/// A small deterministic random generator (SplitMix64) so fault runs can be replayed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
