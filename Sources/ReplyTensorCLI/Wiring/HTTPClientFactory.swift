import ReplyTensorHTTP

/// The process's HTTP client.
enum HTTPClientFactory {
    static func make(_ configuration: ReplyTensorConfiguration) -> any HTTPClient {
        ScriptedHTTPClient { _ in throw HTTPClientError(.transport, "no HTTP client in this build") }
    }
}
