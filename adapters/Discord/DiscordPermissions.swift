/// Discord permission bits and the computation of a member's permissions in a channel (roles, then the channel's
/// overwrites for @everyone, the member's roles and the member).
public struct DiscordPermissions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let administrator = DiscordPermissions(rawValue: 1 << 3)
    public static let viewChannel = DiscordPermissions(rawValue: 1 << 10)
    public static let sendMessages = DiscordPermissions(rawValue: 1 << 11)
    public static let readMessageHistory = DiscordPermissions(rawValue: 1 << 16)
    public static let sendMessagesInThreads = DiscordPermissions(rawValue: 1 << 38)

    /// What the bot needs in a channel it watches.
    public static let needed: [(DiscordPermissions, String)] = [
        (.viewChannel, "VIEW_CHANNEL"), (.readMessageHistory, "READ_MESSAGE_HISTORY"), (.sendMessages, "SEND_MESSAGES"),
    ]

    init(_ text: String?) { self.init(rawValue: text.flatMap { UInt64($0) } ?? 0) }

    /// The permissions of a member with `memberRoles` (and id `memberID`) in a channel with `overwrites`.
    static func compute(guildID: String, memberID: String, memberRoles: [String], roles: [String: DiscordPermissions],
                        overwrites: [DiscordOverwrite]) -> DiscordPermissions {
        var base = roles[guildID] ?? []
        for role in memberRoles { base.formUnion(roles[role] ?? []) }
        if base.contains(.administrator) { return DiscordPermissions(rawValue: .max) }
        if let everyone = overwrites.first(where: { $0.id == guildID && $0.type == 0 }) {
            base.subtract(DiscordPermissions(everyone.deny))
            base.formUnion(DiscordPermissions(everyone.allow))
        }
        var allow: DiscordPermissions = []
        var deny: DiscordPermissions = []
        for overwrite in overwrites where overwrite.type == 0 && memberRoles.contains(overwrite.id) {
            allow.formUnion(DiscordPermissions(overwrite.allow))
            deny.formUnion(DiscordPermissions(overwrite.deny))
        }
        base.subtract(deny)
        base.formUnion(allow)
        if let member = overwrites.first(where: { $0.id == memberID && $0.type == 1 }) {
            base.subtract(DiscordPermissions(member.deny))
            base.formUnion(DiscordPermissions(member.allow))
        }
        return base
    }

    /// Names of the needed permissions missing from `self`.
    var missing: [String] { Self.needed.filter { !contains($0.0) }.map(\.1) }
}
