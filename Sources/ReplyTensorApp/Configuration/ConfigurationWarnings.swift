import Foundation
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorStore
import ReplyTensorSubnet

/// Settings that are valid but put data at risk, and store files others can read. `check` prints them (with
/// `--offline` too) and `run` logs them at start.
public enum ConfigurationWarnings {
    public static func list(_ configuration: ReplyTensorConfiguration) -> [String] {
        var warnings = configuration.bot.postgres == nil ? StoreFiles.exposureWarnings(of: configuration.bot.store.path) : []
        if let store = configuration.bot.postgres, store.sslMode == .disable, !isLoopback(host: store.host) {
            warnings.append("bot.store uses sslmode=disable to \(store.endpoint), not this host: the password and every "
                + "message cross the network in clear; use sslmode=verify-full")
        }
        if configuration.responder.subnet.allowPrivateAxons {  // also for `ask --via subnet` and `metagraph`
            warnings.append("responder.subnet.allow_private_axons = true: the bot may query \"miners\" on loopback, "
                + "private and link-local addresses and on this host itself; only for local testing")
        }
        let listen = configuration.metrics.listen
        if let address = MetricsAddress(listen), !isLoopback(host: address.host) {
            warnings.append("metrics.listen = \"\(listen)\" is reachable from other hosts; keep /metrics and /healthz "
                + "on 127.0.0.1 or behind a reverse proxy")
        }
        for (key, origin) in plainHTTPEndpoints(configuration) {
            warnings.append("\(key) is plain http:// to \(origin), not this host: tokens and messages travel in "
                + "clear; use https://")
        }
        for platform in configuration.enabledPlatforms where !answered(platform, configuration) {
            warnings.append("\(platform.rawValue) is enabled but no responder answers it (responder.subnet.platforms "
                + "leaves it out and no other responder follows): its mentions will fail")
        }
        return warnings
    }

    /// The endpoints the bot sends tokens or messages to that use http:// to another host, as (key, origin).
    static func plainHTTPEndpoints(_ configuration: ReplyTensorConfiguration) -> [(String, String)] {
        var endpoints: [(String, String)] = []
        if configuration.telegram.enabled { endpoints.append(("telegram.api_base", configuration.telegram.apiBase)) }
        if configuration.discord.enabled { endpoints.append(("discord.api_base", configuration.discord.apiBase)) }
        if configuration.twitter.enabled { endpoints.append(("twitter.api_base", configuration.twitter.apiBase)) }
        if configuration.responder.order.contains("gateway") {
            endpoints.append(("responder.gateway.base_url", configuration.responder.gateway.baseURL))
        }
        return endpoints.compactMap { key, url in
            guard url.lowercased().hasPrefix("http://"), let components = URLComponents(string: url),
                  let host = components.host, !isLoopback(host: host) else { return nil }
            // Only scheme, host and port are shown: a URL may carry credentials.
            return (key, "http://\(host)" + (components.port.map { ":\($0)" } ?? ""))
        }
    }

    /// Whether some responder of `responder.order` accepts mentions from `platform`.
    static func answered(_ platform: Platform, _ configuration: ReplyTensorConfiguration) -> Bool {
        configuration.responder.order.contains { name in
            name != "subnet" || configuration.responder.subnet.platforms.isEmpty
                || configuration.responder.subnet.platforms.contains(platform)
        }
    }

    /// `localhost`, 127.0.0.0/8, `::1` (also IPv4-mapped): traffic that never leaves the host.
    static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 { return withUnsafeBytes(of: v4) { $0.first == 127 } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = HostAddresses.normalized(withUnsafeBytes(of: v6) { Array($0) })
        return bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }
}
