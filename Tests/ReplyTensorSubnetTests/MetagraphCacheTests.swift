import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import ReplyTensorSubnet
import ReplyTensorTestSupport
import Testing

/// A settable wall clock for the cache's freshness decisions.
final class SettableClock: @unchecked Sendable {
    // @unchecked: `date` is only read and written under `lock`.
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_800_000_000)
    func now() -> Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

@Suite struct MetagraphCacheTests {
    func neuron(_ uid: UInt16) -> NeuronInfoLite {
        SubtensorEmulator.neuron(uid: uid, hotkey: [UInt8](repeating: UInt8(uid + 1), count: 32), port: 1000 + Int(uid))
    }

    @Test func staleListsAnswerAtOnceAndRefreshInTheBackground() async throws {
        let emulator = try await SubtensorEmulator.start(neurons: [1: [neuron(0)]])
        let clock = SettableClock()
        let store = InMemoryStore()
        let client = SubtensorClient(network: try SubtensorNetwork(emulator.url), http: SubnetWorld.http())
        let cache = MetagraphCache(client: client, netuid: 1, store: store, refreshInterval: .seconds(60), now: { clock.now() })
        #expect(try await cache.neurons().neurons.map(\.uid) == [0])
        await emulator.setNeurons([neuron(0), neuron(1)], netuid: 1)
        #expect(try await cache.neurons().neurons.map(\.uid) == [0], "fresh: the chain is not asked")
        #expect(await emulator.recorder.requests.count == 1)
        clock.advance(120)
        #expect(try await cache.neurons().neurons.map(\.uid) == [0], "stale: answered from the cache at once")
        let refreshed = try await Polling.wait(timeout: .seconds(4), every: .milliseconds(10)) {
            try await cache.neurons().neurons.count == 2
        }
        #expect(refreshed, "the background refresh replaced the list")
        // The chain goes down: the cache keeps answering, and a new cache (a restart) reads the store.
        await emulator.setUnavailable(true)
        clock.advance(120)
        #expect(try await cache.neurons().neurons.count == 2)
        let restarted = MetagraphCache(client: client, netuid: 1, store: store, refreshInterval: .seconds(60), now: { clock.now() })
        #expect(try await restarted.neurons().neurons.count == 2)
        await emulator.stop()
    }
}
