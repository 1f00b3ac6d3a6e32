import Foundation
import ReplyTensorCore

/// `/healthz`: healthy when every enabled adapter polled successfully within the window and the store is writable.
public struct HealthReport: Sendable, Encodable {
    public var healthy: Bool
    public var reasons: [String]
    /// Seconds since each platform's last successful poll (absent: never).
    var lastPollAgeSeconds: [String: Double]
    var storeWritable: Bool

    public init(platforms: [Platform], lastPoll: [Platform: Date], stopped: [Platform: String], storeWritable: Bool,
         window: TimeInterval, startedAt: Date, now: Date) {
        var reasons: [String] = []
        var ages: [String: Double] = [:]
        for platform in platforms {
            if let reason = stopped[platform] {
                reasons.append("\(platform.rawValue): adapter stopped: \(reason)")
                continue
            }
            if let last = lastPoll[platform] {
                let age = now.timeIntervalSince(last)
                ages[platform.rawValue] = (age * 10).rounded() / 10
                if age > window {
                    reasons.append("\(platform.rawValue): no successful poll for \(Int(age)) s (window \(Int(window)) s)")
                }
            } else if now.timeIntervalSince(startedAt) > window {
                reasons.append("\(platform.rawValue): no successful poll since start (window \(Int(window)) s)")
            }
        }
        if !storeWritable { reasons.append("store: not writable") }
        self.healthy = reasons.isEmpty
        self.reasons = reasons
        self.lastPollAgeSeconds = ages
        self.storeWritable = storeWritable
    }

    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data("{\"healthy\":false}".utf8)
    }
}
