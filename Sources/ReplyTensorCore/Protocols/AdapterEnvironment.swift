import Foundation
import Logging
import ReplyTensorHTTP

/// What an adapter gets from the CLI: the HTTP client, durable state, a logger and the wall clock.
public struct AdapterEnvironment: Sendable {
    public var http: any HTTPClient
    public var state: any AdapterStateStore & TokenStore
    public var logger: Logger
    public var now: @Sendable () -> Date
    /// True when several replicas share `state` (PostgreSQL): counters and windows are then read and changed in the
    /// store each time (`updateValue`, `rotateToken`), never trusted from memory.
    public var isSharedStore: Bool

    public init(http: any HTTPClient, state: any AdapterStateStore & TokenStore, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }, isSharedStore: Bool = false) {
        self.http = http
        self.state = state
        self.logger = logger
        self.now = now
        self.isSharedStore = isSharedStore
    }
}
