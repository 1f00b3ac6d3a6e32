import ReplyTensorCore

/// One rotation at a time per token name, in this process. A SQLite file is used by one process only (`StoreLock`),
/// so serialising its rotations here is all the exclusion a token needs; a store shared by several processes
/// (PostgreSQL) holds a row lock instead.
actor TokenRotations {
    private var locks: [String: AsyncLock] = [:]
    private var holders: [String: Int] = [:]

    /// Runs `body` while no other body runs under `name`.
    func exclusively<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let lock = locks[name] ?? AsyncLock()
        locks[name] = lock
        holders[name, default: 0] += 1
        defer {
            holders[name, default: 1] -= 1
            if holders[name] == 0 {
                holders[name] = nil
                locks[name] = nil
            }
        }
        return try await lock.withLock { try await body() }
    }
}
