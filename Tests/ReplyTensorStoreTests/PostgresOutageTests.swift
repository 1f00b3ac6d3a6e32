import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorTestSupport
import Testing

@Suite("PostgreSQL outage", .serialized)
struct PostgresOutageTests {
    @Test("the store fails while PostgreSQL is down and works again once it is back")
    func reconnects() async throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let url = cluster.url(database: try cluster.newDatabase())
        let store = try await PostgresStore.open(location: try PostgresLocation(parsing: url), password: cluster.password,
                                                 replica: ReplicaIdentity(name: "a", host: "h", pid: 1),
                                                 leaseSeconds: 3, logger: Logger(label: "test"))
        print("OUTAGE: opened")
        try await store.heartbeat(at: Date())
        print("OUTAGE: heartbeat ok")
        try cluster.pauseServer()
        print("OUTAGE: paused")
        let down = await Self.attempt(store)
        print("OUTAGE: while down: \(down)")
        try cluster.resumeServer()
        print("OUTAGE: resumed")
        var up = ""
        for _ in 0..<10 {
            up = await Self.attempt(store)
            print("OUTAGE: after resume: \(up)")
            if up == "ok" { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(up == "ok")
        await store.close()
    }

    static func attempt(_ store: PostgresStore) async -> String {
        do {
            return try await withDeadline(.seconds(5), clock: ContinuousClock(), onTimeout: { BotError(.storage, "timeout") }) {
                try await store.heartbeat(at: Date())
                return "ok"
            }
        } catch {
            return "\(error)"
        }
    }
}
