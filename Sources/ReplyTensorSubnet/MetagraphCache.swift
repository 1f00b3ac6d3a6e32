import Bittensor
import Foundation
import ReplyTensorCore

/// The subnet's neurons as last fetched, kept in the store (`subnet` state, raw SCALE hex) so that a restart can
/// answer before the chain does. Refreshed when older than the configured interval; a failed refresh keeps
/// serving the previous list.
public actor MetagraphCache {
    public struct Snapshot: Sendable {
        public var neurons: [NeuronInfoLite]
        public var fetchedAt: Date
    }

    static let platform: Platform = "subnet"
    private let client: SubtensorClient
    private let netuid: UInt16
    private let store: any AdapterStateStore
    private let refreshInterval: Duration
    private let now: @Sendable () -> Date
    private var snapshot: Snapshot?
    private var loadedFromStore = false
    private var refreshing: Task<Void, Never>?

    public init(client: SubtensorClient, netuid: UInt16, store: any AdapterStateStore, refreshInterval: Duration,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        self.netuid = netuid
        self.store = store
        self.refreshInterval = refreshInterval
        self.now = now
    }

    var key: String { "metagraph.\(client.network.url).\(netuid)" }

    /// The neurons. A cached list (from memory or the store) is answered at once; when it is older than the refresh
    /// interval a refresh starts in the background, so a slow or unreachable chain never delays an answer. Without
    /// any cached list the chain is asked and its failure is the error.
    public func neurons() async throws -> Snapshot {
        if !loadedFromStore {
            loadedFromStore = true
            if snapshot == nil { snapshot = await stored() }
        }
        guard let snapshot else { return try await refresh() }
        if now().timeIntervalSince(snapshot.fetchedAt) >= refreshInterval.seconds && refreshing == nil {
            refreshing = Task { [weak self] in
                _ = try? await self?.refresh()
                await self?.refreshFinished()
            }
        }
        return snapshot
    }

    private func refreshFinished() { refreshing = nil }

    /// Fetches from the chain now and stores the result.
    @discardableResult
    public func refresh() async throws -> Snapshot {
        let raw = try await client.neuronsLiteRaw(netuid: netuid)
        let neurons: [NeuronInfoLite]
        do { neurons = try NeuronInfoLite.decodeList(raw) } catch {
            throw SubtensorError(.decoding, "NeuronInfoLite list: \(error)")
        }
        let fresh = Snapshot(neurons: neurons, fetchedAt: now())
        snapshot = fresh
        let value = "\(fresh.fetchedAt.timeIntervalSince1970) \(Hex.encode(raw))"
        try? await store.setValue(value, for: key, platform: Self.platform, at: fresh.fetchedAt)
        return fresh
    }

    private func stored() async -> Snapshot? {
        guard let value = try? await store.value(key, for: Self.platform) else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let seconds = Double(parts[0]), let raw = Hex.decode(String(parts[1])),
              let neurons = try? NeuronInfoLite.decodeList(raw) else { return nil }
        return Snapshot(neurons: neurons, fetchedAt: Date(timeIntervalSince1970: seconds))
    }
}
