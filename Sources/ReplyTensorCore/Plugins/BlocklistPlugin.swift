/// Never answers listed users or chats. Entries match an id or a handle (with or without `@`), on any platform,
/// or on one platform when written `platform:entry`.
public struct BlocklistPlugin: Plugin {
    public let name = "blocklist"
    public var users: Set<String>
    public var chats: Set<String>

    public init(users: [String] = [], chats: [String] = []) {
        self.users = Set(users.map(Self.normalize))
        self.chats = Set(chats.map(Self.normalize))
    }

    public func inspect(_ message: InboundMessage, context: PluginContext) async -> PluginDecision {
        var userKeys = [message.author.id]
        if let handle = message.author.handle { userKeys.append(handle) }
        if matches(userKeys, in: users, platform: message.platform) { return .skip(reason: "blocklist.user") }
        if matches([message.chat.id], in: chats, platform: message.platform) { return .skip(reason: "blocklist.chat") }
        return .proceed
    }

    private func matches(_ keys: [String], in list: Set<String>, platform: Platform) -> Bool {
        keys.map(Self.normalize).contains { list.contains($0) || list.contains("\(platform.rawValue):\($0)") }
    }

    static func normalize(_ entry: String) -> String {
        var value = entry.trimmingWhitespace().lowercased()
        if let colon = value.firstIndex(of: ":"), value[..<colon].allSatisfy(\.isLetter) {
            let rest = value[value.index(after: colon)...]
            value = value[..<colon] + ":" + (rest.hasPrefix("@") ? String(rest.dropFirst()) : String(rest))
        } else if value.hasPrefix("@") {
            value.removeFirst()
        }
        return value
    }
}
