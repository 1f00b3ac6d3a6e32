import Foundation
import ReplyTensorCore

/// A per-miner health score kept in the store: consecutive failures cool a miner down (1 min, doubling, at most
/// 1 h) so the responder stops asking miners that keep failing; one good answer restores it.
public actor MinerHealth {
    public struct Record: Sendable, Hashable, Codable {
        public var failures: Int = 0
        public var successes: Int = 0
        public var cooldownUntil: Date?
        public var lastError: String?
    }

    static let platform: Platform = "subnet"
    private let store: any AdapterStateStore
    private let now: @Sendable () -> Date
    private var cache: [String: Record] = [:]

    public init(store: any AdapterStateStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    public func record(_ hotkey: String) async -> Record {
        if let cached = cache[hotkey] { return cached }
        let loaded = (try? await store.value("health.\(hotkey)", for: Self.platform))
            .flatMap { $0.data(using: .utf8) }
            .flatMap { try? JSONDecoder().decode(Record.self, from: $0) } ?? Record()
        cache[hotkey] = loaded
        return loaded
    }

    public func isCoolingDown(_ hotkey: String) async -> Bool {
        guard let until = await record(hotkey).cooldownUntil else { return false }
        return until > now()
    }

    public func succeeded(_ hotkey: String) async {
        var entry = await record(hotkey)
        entry.failures = 0
        entry.successes += 1
        entry.cooldownUntil = nil
        entry.lastError = nil
        await save(entry, for: hotkey)
    }

    public func failed(_ hotkey: String, reason: String) async {
        var entry = await record(hotkey)
        entry.failures += 1
        entry.lastError = String(reason.prefix(200))
        if entry.failures >= 2 {
            let seconds = min(3600.0, 60.0 * pow(2.0, Double(entry.failures - 2)))
            entry.cooldownUntil = now().addingTimeInterval(seconds)
        }
        await save(entry, for: hotkey)
    }

    private func save(_ entry: Record, for hotkey: String) async {
        cache[hotkey] = entry
        guard let data = try? JSONEncoder().encode(entry) else { return }
        try? await store.setValue(String(decoding: data, as: UTF8.self), for: "health.\(hotkey)",
                                  platform: Self.platform, at: now())
    }
}
