import Foundation
import Logging
import ReplyTensorHTTP

/// What an adapter gets from the CLI: the HTTP client, durable state, a logger and time.
public struct AdapterEnvironment: Sendable {
    public var http: any HTTPClient
    public var state: any AdapterStateStore & TokenStore
    public var logger: Logger
    public var clock: any Clock<Duration>
    public var now: @Sendable () -> Date

    public init(http: any HTTPClient, state: any AdapterStateStore & TokenStore, logger: Logger,
                clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.state = state
        self.logger = logger
        self.clock = clock
        self.now = now
    }
}
