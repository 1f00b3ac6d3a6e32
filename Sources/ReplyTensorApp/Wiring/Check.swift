import Foundation

/// One online check of `replytensor check`.
public struct Check: Sendable {
    public struct Result: Sendable {
        public var ok: Bool
        public var summary: String
        public var warnings: [String] = []
        public var details: [String] = []
    }

    public var name: String
    public var run: @Sendable () async -> Result
}
