/// Why a transfer failed before a complete HTTP response was available.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// DNS, connect refused, reset, TLS failure: nothing usable came back.
        case transport
        /// The connect or total timeout expired.
        case timeout
        /// The response body was larger than `HTTPRequest.maxBodyBytes`.
        case bodyTooLarge
        /// The calling task was cancelled and the transfer aborted.
        case cancelled
        /// The URL or request could not be used.
        case invalidRequest
    }

    public var code: Code
    public var message: String
    /// The request's URL with secrets redacted.
    public var url: String?

    public init(_ code: Code, _ message: String, url: String? = nil) {
        self.code = code
        self.message = message
        self.url = url
    }

    public var description: String {
        if let url { return "\(code.rawValue): \(message) (\(url))" }
        return "\(code.rawValue): \(message)"
    }
}
