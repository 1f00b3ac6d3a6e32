import Foundation

/// One HTTP request. Secrets that appear in the URL (Telegram puts the token in the path) are listed in
/// `redactions` so that errors and logs can show `redactedURL` instead.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    /// Time allowed to establish the connection.
    public var connectTimeout: Duration
    /// Time allowed for the whole transfer, body included. `nil` means no limit (streams that the caller cancels).
    public var timeout: Duration?
    /// Largest response body accepted; a bigger one fails with `HTTPClientError.Code.bodyTooLarge`.
    public var maxBodyBytes: Int
    /// Substrings of the URL (and header values) that must never be shown.
    public var redactions: [String]

    public init(method: String = "GET", url: String, headers: HTTPHeaders = [:], body: Data? = nil,
                connectTimeout: Duration = .seconds(10), timeout: Duration? = .seconds(60),
                maxBodyBytes: Int = 16 << 20, redactions: [String] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.redactions = redactions
    }

    /// The URL with every redaction replaced, safe for logs and error messages.
    public var redactedURL: String { Redaction.apply(redactions, to: url) }
}

public enum Redaction {
    public static let placeholder = "<redacted>"

    /// Replaces every non-empty secret in `text` with a placeholder.
    public static func apply(_ secrets: [String], to text: String) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: placeholder)
        }
        return result
    }
}
