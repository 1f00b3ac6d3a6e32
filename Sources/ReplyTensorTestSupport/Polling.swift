/// The one `wait(timeout:)` of the tests, the emulators and the sandbox: polls a condition until it holds or the
/// time is up.
public enum Polling {
    /// Checks `condition` every `interval` until it holds or `timeout` has passed (then once more); whether it
    /// held. Cancellation does not end the wait early.
    public static func wait(timeout: Duration, every interval: Duration = .milliseconds(20),
                            _ condition: () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: interval)
        }
        return try await condition()
    }
}
