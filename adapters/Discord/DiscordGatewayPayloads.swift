import Foundation

// The JSON of Discord's Gateway (API v10, `encoding=json`), as the adapter reads and writes it.
// Sources: https://discord.com/developers/docs/events/gateway ("Connecting", "Sending Heartbeats", "Identifying",
// "Resuming", "Gateway Intents", "Session Start Limit Object"), .../events/gateway-events (payload structure, Hello,
// Ready, Resumed, Reconnect, Invalid Session, Message Create) and .../topics/opcodes-and-status-codes.

/// Gateway opcodes ("Gateway Opcodes").
enum DiscordGatewayOpcode: Int, Sendable {
    case dispatch = 0
    case heartbeat = 1
    case identify = 2
    case resume = 6
    case reconnect = 7
    case invalidSession = 9
    case hello = 10
    case heartbeatACK = 11
}

/// Every payload is `{"op", "d", "s", "t"}`: `s` and `t` only on dispatches (op 0).
struct DiscordGatewayEnvelope: Decodable, Sendable {
    var op: Int
    var s: Int?
    var t: String?
}

/// The `d` of a payload, decoded as `Value`.
struct DiscordGatewayData<Value: Decodable>: Decodable {
    var d: Value
}

/// Hello (op 10): `heartbeat_interval` in milliseconds.
struct DiscordHello: Decodable, Sendable {
    var heartbeatInterval: Int
}

/// Ready: the session to resume later and where to resume it.
struct DiscordReady: Decodable, Sendable {
    struct Application: Decodable, Sendable {
        var id: String
        var flags: Int?
    }
    var sessionId: String
    var resumeGatewayUrl: String
    var user: DiscordUser
    var application: Application?
}

/// Guild Create (sent for every guild after Ready and when the bot joins one): its roles, channels and threads.
struct DiscordGuildCreate: Decodable, Sendable {
    var id: String
    var name: String?
    var unavailable: Bool?
    var roles: [DiscordRole]?
    var channels: [DiscordChannel]?
    var threads: [DiscordChannel]?
}

/// `GET /gateway/bot`.
struct DiscordGatewayBot: Decodable, Sendable {
    var url: String
    var shards: Int
    var sessionStartLimit: DiscordSessionStartLimit
}

/// "Session Start Limit Object": `reset_after` in milliseconds; `max_concurrency` identifies per 5 seconds.
struct DiscordSessionStartLimit: Decodable, Sendable {
    var total: Int
    var remaining: Int
    var resetAfter: Int
    var maxConcurrency: Int
}

/// `GET /applications/@me`: the application's flags say which privileged intents are enabled.
struct DiscordApplicationInfo: Decodable, Sendable {
    var id: String
    var name: String?
    var flags: Int?
}

/// Gateway intents ("List of Intents") and the application flags that enable the privileged ones
/// (resources/application, "Application Flags": GATEWAY_MESSAGE_CONTENT 1 << 18, …_LIMITED 1 << 19).
public struct DiscordIntents: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guilds = DiscordIntents(rawValue: 1 << 0)
    public static let guildMessages = DiscordIntents(rawValue: 1 << 9)
    public static let directMessages = DiscordIntents(rawValue: 1 << 12)
    /// Privileged: enabled in the Developer Portal (Bot → Privileged Gateway Intents).
    public static let messageContent = DiscordIntents(rawValue: 1 << 15)

    /// GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES, and MESSAGE_CONTENT when asked for.
    public static func derived(messageContent: Bool) -> DiscordIntents {
        var intents: DiscordIntents = [.guilds, .guildMessages, .directMessages]
        if messageContent { intents.insert(.messageContent) }
        return intents
    }

    /// Whether application `flags` enable MESSAGE_CONTENT (either the verified or the limited flag).
    public static func messageContentEnabled(flags: Int) -> Bool {
        flags & (1 << 18) != 0 || flags & (1 << 19) != 0
    }

    public var names: [String] {
        [(Self.guilds, "GUILDS"), (.guildMessages, "GUILD_MESSAGES"), (.directMessages, "DIRECT_MESSAGES"),
         (.messageContent, "MESSAGE_CONTENT")].filter { contains($0.0) }.map(\.1)
    }
}

/// What the adapter sends: Heartbeat, Identify and Resume.
enum DiscordGatewayCommand {
    static func heartbeat(sequence: Int?) -> String {
        "{\"op\":1,\"d\":\(sequence.map(String.init) ?? "null")}"
    }

    static func identify(token: String, intents: DiscordIntents) -> String {
        json(["op": 2, "d": ["token": token, "intents": intents.rawValue,
                             "properties": ["os": "linux", "browser": "replytensor", "device": "replytensor"]]])
    }

    static func resume(token: String, sessionID: String, sequence: Int?) -> String {
        json(["op": 6, "d": ["token": token, "session_id": sessionID, "seq": sequence as Any? ?? NSNull()]])
    }

    private static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
