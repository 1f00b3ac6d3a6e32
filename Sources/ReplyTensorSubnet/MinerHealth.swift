import Foundation
import ReplyTensorCore

/// A per-miner health and reputation record kept in the store (`subnet` state, `health.<hotkey>`, JSON).
/// Consecutive failures cool a miner down (1 min, doubling, at most 1 h); answers that are outvoted or filtered are
/// strikes, and repeated strikes cool it down longer (10 min, doubling, at most 24 h). A chosen or agreeing answer
/// ends the failure streak and takes back one strike. The counts per verdict are what `replytensor status` shows.
public actor MinerHealth {
    public struct Record: Sendable, Hashable, Codable {
        public var failures: Int = 0
        public var successes: Int = 0
        public var cooldownUntil: Date?
        public var lastError: String?
        /// The uid the hotkey last had (records written before reputation have none).
        public var uid: UInt16?
        public var chosen: Int = 0
        public var agreed: Int = 0
        public var outvoted: Int = 0
        public var filtered: Int = 0
        /// Outvoted or filtered answers not yet made up for by good ones.
        public var strikes: Int = 0

        public init() {}

        /// Reads records written by every version: absent counts are 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
            failures = try count(.failures)
            successes = try count(.successes)
            cooldownUntil = try container.decodeIfPresent(Date.self, forKey: .cooldownUntil)
            lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
            uid = try container.decodeIfPresent(UInt16.self, forKey: .uid)
            chosen = try count(.chosen)
            agreed = try count(.agreed)
            outvoted = try count(.outvoted)
            filtered = try count(.filtered)
            strikes = try count(.strikes)
        }
    }

    static let platform: Platform = "subnet"
    static let keyPrefix = "health."
    private let store: any AdapterStateStore
    private let now: @Sendable () -> Date
    private var cache: [String: Record] = [:]

    public init(store: any AdapterStateStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    public func record(_ hotkey: String) async -> Record {
        if let cached = cache[hotkey] { return cached }
        let loaded = (try? await store.value(Self.keyPrefix + hotkey, for: Self.platform))
            .flatMap(Self.decode) ?? Record()
        cache[hotkey] = loaded
        return loaded
    }

    public func isCoolingDown(_ hotkey: String) async -> Bool {
        guard let until = await record(hotkey).cooldownUntil else { return false }
        return until > now()
    }

    public func failed(_ hotkey: String, reason: String) async {
        await note(MinerVerdict(uid: nil, hotkey: hotkey, kind: .failed, reason: reason))
    }

    /// Records one verdict: counts it and updates the failure streak, the strikes and the cooldown.
    public func note(_ verdict: MinerVerdict) async {
        var entry = await record(verdict.hotkey)
        if let uid = verdict.uid { entry.uid = uid }
        switch verdict.kind {
        case .chosen, .agreed:
            if verdict.kind == .chosen { entry.chosen += 1 } else { entry.agreed += 1 }
            entry.failures = 0
            entry.successes += 1
            entry.strikes = max(0, entry.strikes - 1)
            entry.cooldownUntil = nil
            entry.lastError = nil
        case .outvoted, .filtered:
            if verdict.kind == .outvoted { entry.outvoted += 1 } else { entry.filtered += 1 }
            entry.strikes += 1
            entry.lastError = String((verdict.reason ?? verdict.kind.rawValue).prefix(200))
            if entry.strikes >= 2 {
                coolDown(&entry, seconds: min(86_400, 600 * pow(2.0, Double(entry.strikes - 2))))
            }
        case .failed:
            entry.failures += 1
            entry.lastError = String((verdict.reason ?? "failed").prefix(200))
            if entry.failures >= 2 {
                coolDown(&entry, seconds: min(3600, 60 * pow(2.0, Double(entry.failures - 2))))
            }
        }
        await save(entry, for: verdict.hotkey)
    }

    /// Extends the cooldown to at least `seconds` from now (a shorter one never shortens a longer one).
    private func coolDown(_ entry: inout Record, seconds: Double) {
        let until = now().addingTimeInterval(seconds)
        if let current = entry.cooldownUntil, current > until { return }
        entry.cooldownUntil = until
    }

    private func save(_ entry: Record, for hotkey: String) async {
        cache[hotkey] = entry
        guard let data = try? JSONEncoder().encode(entry) else { return }
        try? await store.setValue(String(decoding: data, as: UTF8.self), for: Self.keyPrefix + hotkey,
                                  platform: Self.platform, at: now())
    }

    static func decode(_ value: String) -> Record? {
        try? JSONDecoder().decode(Record.self, from: Data(value.utf8))
    }

    /// Every record among the `subnet` state values (as `values(for: "subnet")` returns them), by hotkey.
    public static func records(in values: [String: String]) -> [(hotkey: String, record: Record)] {
        values.compactMap { key, value in
            guard key.hasPrefix(keyPrefix), let record = decode(value) else { return nil }
            return (String(key.dropFirst(keyPrefix.count)), record)
        }.sorted { ($0.record.uid ?? .max, $0.hotkey) < ($1.record.uid ?? .max, $1.hotkey) }
    }
}
