/// Where a query goes: an axon's host, port and hotkey (the hotkey is part of the signed message).
public struct AxonTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The axon's hotkey, SS58.
    public var hotkey: String

    public init(host: String, port: Int, hotkey: String) {
        self.host = host
        self.port = port
        self.hotkey = hotkey
    }

    /// `host:port`, IPv6 in brackets.
    public var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// `http://{host}:{port}/{synapse}`.
    public func url(synapse: String) -> String { "http://\(authority)/\(synapse)" }

    public var description: String { "\(authority) (\(hotkey.prefix(8))…)" }
}
