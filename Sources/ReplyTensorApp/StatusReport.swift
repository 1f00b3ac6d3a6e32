import Foundation
import ReplyTensorCore
import ReplyTensorStore

/// The facts `status` prints.
public struct StatusReport {
    var store: String
    var counts: [Platform: [MentionState: Int]]
    /// Every mention left `unknown` (up to `unknownListLimit`): the operator checks these by hand.
    var unknown: [LedgerEntry]
    var failures: [LedgerEntry]
    var blocks: [RateBlock]
    var cursors: [Platform: [String: String]]
    var platformState: [Platform: [String: String]]
    var repliesToday: Int
    var limits: PolicyLimits
    /// The subnet miners' health and reputation, by uid.
    var miners: [MinerLine]
    /// The replicas sharing the store (a PostgreSQL store only), and how long a lease lasts.
    var replicas: [ReplicaRecord]?
    var leaseSeconds: Double = 0

    static let unknownListLimit = 1000

    /// Gathers from `store`, described as `description` (a path, or a URL without its password); `replicas` when the
    /// store is shared.
    public static func gather(store: any BotStore, description: String, replicas: (any ReplicaCoordinator)? = nil,
                              configuration: ReplyTensorConfiguration) async throws -> StatusReport {
        let now = Date()
        var cursors: [Platform: [String: String]] = [:]
        var platformState: [Platform: [String: String]] = [:]
        for platform in [Platform.telegram, .discord, .twitter] {
            let values = try await store.cursors(for: platform)
            if !values.isEmpty { cursors[platform] = values }
            let state = try await store.values(for: platform)
            if !state.isEmpty { platformState[platform] = state }
        }
        return StatusReport(
            store: description,
            counts: try await store.stateCounts(),
            unknown: try await store.recent(in: [.unknown], limit: unknownListLimit),
            failures: try await store.recent(in: [.failed], limit: 20),
            blocks: try await store.blocks(for: nil, activeAt: now),
            cursors: cursors,
            platformState: platformState,
            repliesToday: try await store.countReplies(ReplyCountQuery(since: PolicyLimits.startOfUTCDay(now))),
            limits: configuration.limits,
            miners: miners(in: try await store.values(for: "subnet")),
            replicas: try await replicas?.replicas(),
            leaseSeconds: replicas?.leaseDuration.seconds ?? 0)
    }

    /// A replica is live while its last heartbeat is younger than a lease.
    func isLive(_ replica: ReplicaRecord, at date: Date = Date()) -> Bool {
        date.timeIntervalSince(replica.heartbeatAt) < leaseSeconds
    }

    func replicaText() -> [String] {
        guard let replicas else { return [] }
        var lines = ["", "Replicas (lease \(Int(leaseSeconds)) s):"]
        if replicas.isEmpty { lines.append("  (none running)") }
        let now = Date()
        for replica in replicas {
            let age = Int(now.timeIntervalSince(replica.heartbeatAt))
            let leases = replica.leases.isEmpty ? "no leases" : "leases " + replica.leases.joined(separator: ", ")
            lines.append("  \(replica.name)  host \(replica.host) pid \(replica.pid)  last heartbeat \(age) s ago"
                             + " (\(isLive(replica, at: now) ? "live" : "silent"))  \(leases)")
        }
        return lines
    }

    func replicaObjects() -> [[String: Any]] {
        (replicas ?? []).map { replica in
            ["name": replica.name, "host": replica.host, "pid": replica.pid, "live": isLive(replica),
             "started_at": replica.startedAt.formatted(.iso8601),
             "last_heartbeat": replica.heartbeatAt.formatted(.iso8601), "leases": replica.leases]
        }
    }

    public func text() -> String {
        var lines = ["Store: \(store)", "", "Mentions by platform and state:"]
        if counts.isEmpty { lines.append("  (none yet)") }
        for platform in counts.keys.sorted() {
            let states = MentionState.allCases.compactMap { state in counts[platform]?[state].map { "\(state.rawValue) \($0)" } }
            lines.append("  \(platform): " + states.joined(separator: ", "))
        }
        let unknownTotal = counts.values.reduce(0) { $0 + ($1[.unknown] ?? 0) }
        lines.append("")
        lines.append("Unknown (interrupted while posting; check by hand): \(unknownTotal)")
        for entry in unknown { lines.append("  \(entry.key)  \(entry.reason ?? "")") }
        lines.append("Recent failures:")
        if failures.isEmpty { lines.append("  (none)") }
        for entry in failures { lines.append("  \(entry.key)  \(entry.reason ?? "")") }
        lines.append("")
        let daily = limits.dailyReplies == 0 ? "unlimited" : "\(limits.dailyReplies)"
        lines.append("Replies today (UTC): \(repliesToday) of \(daily)")
        lines.append("Limits: per user per hour \(limits.perUserPerHour), per chat per minute \(limits.perChatPerMinute)")
        lines.append("Open waits: \(blocks.isEmpty ? "none" : "")")
        for block in blocks {
            lines.append("  \(block.platform) \(block.scope) until \(block.until.formatted(.iso8601)) (\(block.reason))")
        }
        lines.append("Cursors:")
        if cursors.isEmpty { lines.append("  (none yet)") }
        for platform in cursors.keys.sorted() {
            let values = cursors[platform]!.sorted { $0.key < $1.key }.prefix(20).map { "\($0.key)=\($0.value)" }
            lines.append("  \(platform): " + values.joined(separator: ", "))
        }
        for platform in platformState.keys.sorted() {
            lines.append("State of \(platform):")
            for (key, value) in platformState[platform]!.sorted(by: { $0.key < $1.key }).prefix(30) {
                lines.append("  \(key) = \(value)")
            }
        }
        lines += minerText()
        lines += replicaText()
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        func entryObject(_ entry: LedgerEntry) -> [String: Any] {
            ["platform": entry.message.platform.rawValue, "id": entry.message.id, "state": entry.state.rawValue,
             "reason": entry.reason ?? "", "attempts": entry.attempts, "reply_ids": entry.replyIDs,
             "updated_at": entry.updatedAt.formatted(.iso8601)]
        }
        var mentions: [String: [String: Int]] = [:]
        for (platform, states) in counts {
            mentions[platform.rawValue] = Dictionary(uniqueKeysWithValues: states.map { ($0.key.rawValue, $0.value) })
        }
        let object: [String: Any] = [
            "store": store,
            "exists": true,
            "mentions": mentions,
            "unknown": unknown.map(entryObject),
            "recent_failures": failures.map(entryObject),
            "limits": ["replies_today": repliesToday, "daily_replies": limits.dailyReplies,
                       "per_user_per_hour": limits.perUserPerHour, "per_chat_per_minute": limits.perChatPerMinute],
            "waits": blocks.map { ["platform": $0.platform.rawValue, "scope": $0.scope,
                                   "until": $0.until.formatted(.iso8601), "reason": $0.reason] },
            "cursors": Dictionary(uniqueKeysWithValues: cursors.map { ($0.key.rawValue, $0.value) }),
            "platform_state": Dictionary(uniqueKeysWithValues: platformState.map { ($0.key.rawValue, $0.value) }),
            "miners": minerObjects(),
            "replicas": replicaObjects(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    public static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
