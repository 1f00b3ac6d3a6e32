import ReplyTensorHTTP

/// The process's HTTP client: libcurl, with the configured proxy (or the standard proxy variables).
enum HTTPClientFactory {
    static func make(_ configuration: ReplyTensorConfiguration) -> any HTTPClient {
        var settings = CurlHTTPClient.Configuration()
        settings.userAgent = "ReplyTensor/\(ReplyTensorVersion.string) (+https://github.com/replytensor/replytensor)"
        if !configuration.httpProxy.isEmpty { settings.proxy = configuration.httpProxy }
        return CurlHTTPClient(configuration: settings)
    }
}
