import Foundation
import Logging
import ReplyTensorPostgres
import ReplyTensorTestSupport

/// A fresh database on the test process's private PostgreSQL cluster, and stores opened on it.
struct PostgresTestDatabase: Sendable {
    let cluster: PostgresCluster
    let name: String

    init() throws {
        cluster = try PostgresCluster.shared()
        name = try cluster.newDatabase()
    }

    var location: PostgresLocation {
        PostgresLocation(user: cluster.user, host: "127.0.0.1", port: cluster.port, database: name)
    }

    /// A store on this database for the replica `replica` (a unique name by default).
    func open(replica: String = "replica-\(UUID().uuidString.prefix(6))", leaseSeconds: Double = 15) async throws
        -> PostgresStore {
        try await PostgresStore.open(location: location, password: cluster.password,
                                     replica: ReplicaIdentity(name: replica, host: "test-host", pid: 1),
                                     leaseSeconds: leaseSeconds, logger: Logger(label: "test"))
    }
}
