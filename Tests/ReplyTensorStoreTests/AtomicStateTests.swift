import Foundation
import ReplyTensorCore
import ReplyTensorStore
import Testing

/// `updateValue` and `rotateToken` are atomic in the stores one process uses, so adapters sharing one of them (two
/// "replicas" in a test) count and rotate as they would on a store several processes share.
@Suite("Atomic state updates and token rotation (memory, SQLite and PostgreSQL)")
struct AtomicStateTests {
    @Test("2×50 concurrent updateValue increments count 100", arguments: StoreKind.allCases)
    func concurrentIncrements(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<50 {
                        _ = try await store.updateValue("counter", platform: .twitter, at: Date()) { stored in
                            String((stored.flatMap { Int($0) } ?? 0) + 1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.value("counter", for: .twitter) == "100")
    }

    @Test("updateValue returns the new value, removes on nil, and writes nothing when the transform throws",
          arguments: StoreKind.allCases)
    func updateOutcomes(_ kind: StoreKind) async throws {
        struct Refused: Error {}
        let store = try await kind.make()
        #expect(try await store.updateValue("k", platform: .discord, at: Date()) { $0 == nil ? "1" : "x" } == "1")
        await #expect(throws: Refused.self) {
            _ = try await store.updateValue("k", platform: .discord, at: Date()) { _ in throw Refused() }
        }
        #expect(try await store.value("k", for: .discord) == "1")
        #expect(try await store.value("k", for: .twitter) == nil, "values are per platform")
        #expect(try await store.updateValue("k", platform: .discord, at: Date()) { _ in nil } == nil)
        #expect(try await store.values(for: .discord).isEmpty)
    }

    @Test("two concurrent rotations: the second sees the first's value", arguments: StoreKind.allCases)
    func concurrentRotations(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.saveToken("refresh", value: "r0", at: Date())
        let seen = try await withThrowingTaskGroup(of: String.self) { group in
            for replica in ["a", "b"] {
                group.addTask {
                    let next = try await store.rotateToken("refresh", at: Date()) { stored in
                        // Awaits inside the rotation: another rotation must not start meanwhile.
                        try await Task.sleep(for: .milliseconds(50))
                        return "\(stored ?? "nil")>\(replica)"
                    }
                    return String(next.dropLast(2))  // the value this rotation saw
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let final = try #require(try await store.token("refresh"))
        #expect(seen.contains("r0"))
        #expect(final == "r0>a>b" || final == "r0>b>a", "one rotation on top of the other, got \(final)")
        let second = final.hasSuffix(">b") ? "a" : "b"
        #expect(seen.contains("r0>\(second)"), "the second rotation saw the first one's token")
    }

    @Test("a rotation that throws keeps the stored token and frees the name", arguments: StoreKind.allCases)
    func failedRotation(_ kind: StoreKind) async throws {
        struct Refused: Error {}
        let store = try await kind.make()
        try await store.saveToken("refresh", value: "r0", at: Date())
        await #expect(throws: Refused.self) {
            _ = try await store.rotateToken("refresh", at: Date()) { _ in throw Refused() }
        }
        #expect(try await store.token("refresh") == "r0")
        #expect(try await store.rotateToken("refresh", at: Date()) { "\($0 ?? "nil")+" } == "r0+")
    }
}
