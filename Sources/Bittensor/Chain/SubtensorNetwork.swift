/// A subtensor endpoint by name (`finney`, `test`, `local`) or URL (`ws(s)://`, `http(s)://`). JSON-RPC goes over
/// HTTP POST, which substrate nodes serve on their WebSocket port too.
public struct SubtensorNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The name or URL as configured.
    public var name: String
    /// The HTTP(S) URL requests are posted to.
    public var url: String

    public init(_ nameOrURL: String) throws {
        name = nameOrURL
        switch nameOrURL {
        case "finney": url = "https://entrypoint-finney.opentensor.ai:443"
        case "test": url = "https://test.finney.opentensor.ai:443"
        case "local": url = "http://127.0.0.1:9944"
        default:
            if nameOrURL.hasPrefix("wss://") { url = "https://" + nameOrURL.dropFirst(6) }
            else if nameOrURL.hasPrefix("ws://") { url = "http://" + nameOrURL.dropFirst(5) }
            else if nameOrURL.hasPrefix("https://") || nameOrURL.hasPrefix("http://") { url = nameOrURL }
            else { throw SubtensorError(.invalid, "network must be finney, test, local or a ws(s)/http(s) URL, got \"\(nameOrURL)\"") }
        }
    }

    public var description: String { name == url ? url : "\(name) (\(url))" }
}
