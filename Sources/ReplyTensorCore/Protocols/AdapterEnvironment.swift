import Foundation
import Logging
import ReplyTensorHTTP

/// What an adapter gets from the CLI: the HTTP client, durable state, a logger and the wall clock.
public struct AdapterEnvironment: Sendable {
    public var http: any HTTPClient
    public var state: any AdapterStateStore & TokenStore
    public var logger: Logger
    public var now: @Sendable () -> Date

    public init(http: any HTTPClient, state: any AdapterStateStore & TokenStore, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.state = state
        self.logger = logger
        self.now = now
    }
}
