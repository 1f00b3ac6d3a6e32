/// The version of ReplyTensor's HTTP stack, sent in the default User-Agent.
public enum ReplyTensorHTTPVersion {
    /// The current version string, e.g. `0.1.0`.
    public static let current = "0.1.0"

    /// The User-Agent sent when a request does not set its own.
    public static var defaultUserAgent: String {
        "ReplyTensor/\(current) (+https://github.com/replytensor/replytensor)"
    }
}
