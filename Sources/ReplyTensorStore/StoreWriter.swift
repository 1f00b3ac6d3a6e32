import Dispatch
import GRDB
import Synchronization

/// Every write of a process goes through one writer thread that commits in groups: writes arriving while a commit
/// runs are committed together in the next transaction, each in its own savepoint (one failing leaves the others
/// committed). Under load a group of mentions costs one transaction — the WAL pages they share written once — and a
/// durable write one fsync for all. A caller resumes once its write committed.
///
/// A durable write survives a power loss once it returns: its group commits with `synchronous = FULL` (the WAL is
/// fsynced, and with it every earlier commit). SQLite refuses to change the level inside a transaction, so it is set
/// around it.
final class StoreWriter: Sendable {
    private struct Job: Sendable {
        let durable: Bool
        /// Runs the write; returns how to tell the caller it committed.
        let run: @Sendable (Database) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var pending: [Job] = []
        var flushing = false
    }

    private let database: DatabasePool
    private let queue = Mutex(Queue())
    private let thread = DispatchQueue(label: "replytensor.store.writer")

    init(database: DatabasePool) {
        self.database = database
    }

    /// Returns `body`'s result once the transaction it ran in committed, or throws what it (or the commit) threw.
    func write<T: Sendable>(durable: Bool, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (caller: CheckedContinuation<T, any Error>) in
            let job = Job(durable: durable, run: { db in
                let value = try body(db)
                return { caller.resume(returning: value) }
            }, fail: { caller.resume(throwing: $0) })
            let starts = queue.withLock { queue -> Bool in
                queue.pending.append(job)
                guard !queue.flushing else { return false }
                queue.flushing = true
                return true
            }
            if starts { thread.async { self.flush() } }
        }
    }

    /// Waits until every write handed in so far has committed.
    func drain() {
        while queue.withLock({ $0.flushing }) { thread.sync {} }
    }

    private func flush() {
        while true {
            let jobs = queue.withLock { queue -> [Job] in
                defer { queue.pending.removeAll() }
                if queue.pending.isEmpty { queue.flushing = false }
                return queue.pending
            }
            guard !jobs.isEmpty else { return }
            commit(jobs)
        }
    }

    private func commit(_ jobs: [Job]) {
        var committed: [(Job, @Sendable () -> Void)] = []
        var failed: [(Job, any Error)] = []
        do {
            try database.writeWithoutTransaction { db in
                let durable = jobs.contains(where: \.durable)
                if durable { try db.execute(sql: "PRAGMA synchronous = FULL") }
                defer { if durable { try? db.execute(sql: SQLiteStore.normalSynchronous) } }
                try db.inTransaction(.immediate) {
                    for job in jobs {
                        do {
                            var done: (@Sendable () -> Void)?
                            try db.inSavepoint {
                                done = try job.run(db)
                                return .commit
                            }
                            if let done { committed.append((job, done)) }
                        } catch {
                            failed.append((job, error))
                        }
                    }
                    return .commit
                }
            }
        } catch {
            for (job, _) in committed { job.fail(error) }
            committed.removeAll()
        }
        for (job, error) in failed { job.fail(error) }
        for (_, done) in committed { done() }
    }
}
