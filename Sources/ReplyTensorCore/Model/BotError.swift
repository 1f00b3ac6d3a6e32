import Foundation
import ReplyTensorHTTP

/// Every failure the bot reasons about. Messages never contain secrets.
public struct BotError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// The platform cannot go on until the operator acts (`stopCause` says why); the engine stops that platform.
        case platformStopped
        case rateLimited, forbidden, transport, decoding, platform, storage, config, responder, cancelled
    }

    /// Why a platform was stopped.
    public enum StopCause: String, Sendable {
        /// The platform rejected the bot's credentials (401, a refused token refresh).
        case credentialsRejected
        /// The credentials are valid but the app or account may not do this (e.g. X's 403 on the app's access).
        case accessDenied
        /// The API answered as if the address or token format were wrong (e.g. Telegram's 404 to every method).
        case misconfigured
        /// Every enabled platform stopped: nothing is left to run.
        case everyPlatformStopped
    }

    /// Whether the request may have had its effect (matters for posts: a post that may have been delivered is
    /// never sent again blindly).
    public enum Delivery: String, Sendable { case notDelivered, unknown }

    public var code: Code
    public var message: String
    public var platform: Platform?
    public var httpStatus: Int?
    /// How long the platform asked us to wait.
    public var retryAfter: Duration?
    /// The scope a rate limit applies to (`chat:<id>`, `global`), when the platform says.
    public var scope: String?
    /// Permanent failures (blocked by the user, reply forbidden, duplicate content) are not retried.
    public var isPermanent: Bool
    public var delivery: Delivery
    public var underlying: String?
    /// Why the platform was stopped (with `Code.platformStopped` only).
    public var stopCause: StopCause?

    public init(_ code: Code, _ message: String, platform: Platform? = nil, httpStatus: Int? = nil,
                retryAfter: Duration? = nil, scope: String? = nil, isPermanent: Bool = false,
                delivery: Delivery = .notDelivered, underlying: (any Error)? = nil, stopCause: StopCause? = nil) {
        self.code = code
        self.message = message
        self.platform = platform
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.scope = scope
        self.isPermanent = isPermanent
        self.delivery = delivery
        self.underlying = underlying.map { String(describing: $0) }
        self.stopCause = code == .platformStopped ? stopCause ?? .credentialsRejected : nil
    }

    /// Worth trying again later (after `retryAfter` when given).
    public var isRetryable: Bool {
        if isPermanent { return false }
        switch code {
        case .rateLimited, .transport: return true
        case .platform, .responder: return httpStatus.map { $0 >= 500 || $0 == 429 || $0 == 408 } ?? true
        case .platformStopped, .forbidden, .decoding, .storage, .config, .cancelled: return false
        }
    }

    public var description: String {
        var text = "\(code.rawValue)"
        if let stopCause { text += " (\(stopCause.rawValue))" }
        if let platform { text += " [\(platform)]" }
        if let httpStatus { text += " HTTP \(httpStatus)" }
        text += ": \(message)"
        return text
    }
}

extension BotError {
    /// Maps a transport-level failure of the HTTP client.
    public init(_ error: HTTPClientError, platform: Platform?, delivery: Delivery = .unknown) {
        switch error.code {
        case .cancelled:
            self.init(.cancelled, error.description, platform: platform, delivery: delivery)
        case .bodyTooLarge:
            self.init(.decoding, error.description, platform: platform, delivery: delivery)
        case .invalidRequest:
            self.init(.config, error.description, platform: platform, delivery: .notDelivered)
        case .transport, .timeout:
            self.init(.transport, error.description, platform: platform, delivery: delivery)
        }
    }
}
