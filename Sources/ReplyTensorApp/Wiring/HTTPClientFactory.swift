import Foundation
import ReplyTensorHTTP

/// The process's HTTP client: libcurl, with the configured proxy (or the standard proxy variables). Loopback never
/// goes through a proxy (local Bot API servers, local subtensor, the sandbox), whatever `no_proxy` says.
public enum HTTPClientFactory {
    public static func make(_ configuration: ReplyTensorConfiguration,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> any HTTPClient {
        make(proxy: configuration.httpProxy, environment: environment)
    }

    /// A client with `proxy` (none when empty).
    public static func make(proxy: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> any HTTPClient {
        var settings = CurlHTTPClient.Configuration()
        settings.userAgent = "ReplyTensor/\(ReplyTensorVersion.string) (+https://github.com/replytensor/replytensor)"
        if !proxy.isEmpty { settings.proxy = proxy }
        settings.noProxy = noProxy(environment)
        return CurlHTTPClient(configuration: settings)
    }

    /// `no_proxy`/`NO_PROXY` from the environment plus the loopback names.
    public static func noProxy(_ environment: [String: String]) -> String {
        let fromEnvironment = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if fromEnvironment.contains("*") { return "*" }
        var hosts = ["localhost", "127.0.0.1", "::1"]
        for host in fromEnvironment where !hosts.contains(host) { hosts.append(host) }
        return hosts.joined(separator: ",")
    }
}
