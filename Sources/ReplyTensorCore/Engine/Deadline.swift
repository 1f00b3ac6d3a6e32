/// Runs `operation`, giving up with `onTimeout()` when it takes longer than `limit` on `clock`. The operation is
/// cancelled then; an error it throws first is thrown as it is. The one timeout race of the bot: the engine's
/// responder deadline and the gateway's per-attempt deadline use it.
public func withDeadline<T: Sendable>(_ limit: Duration, clock: any Clock<Duration>,
                                      onTimeout: @escaping @Sendable () -> any Error,
                                      _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await clock.sleep(for: limit)
            throw onTimeout()
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw onTimeout() }
        return result
    }
}
