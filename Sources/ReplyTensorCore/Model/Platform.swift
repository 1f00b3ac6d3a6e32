/// A messaging platform, named as in the configuration (`telegram`, `discord`, `twitter`).
public struct Platform: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let telegram: Platform = "telegram"
    public static let discord: Platform = "discord"
    public static let twitter: Platform = "twitter"

    public var description: String { rawValue }
    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.rawValue < rhs.rawValue }
}
