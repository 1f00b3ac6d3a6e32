import CoreMetrics
import Foundation
import ReplyTensorCore
import Synchronization

/// The bot's metrics, through swift-metrics with an explicit factory (Prometheus in `run`): fed by engine events,
/// the instrumented HTTP clients and a periodic sample of the store and the process. Every metric keeps one fixed
/// set of label names; label values are bounded (`MetricLabel`).
public final class BotMetrics: Sendable {
    let factory: any MetricsFactory
    private let labels = MetricLabel(limit: 64)
    /// Miner uids: a subnet has at most 256 neurons, but the metagraph is untrusted input.
    private let uidLabels = MetricLabel(limit: 256)
    private let newestAdmitted = Mutex<[Platform: Date]>([:])
    private let now: @Sendable () -> Date

    public init(factory: any MetricsFactory, now: @escaping @Sendable () -> Date = { Date() }) {
        self.factory = factory
        self.now = now
    }

    // MARK: engine events

    public func record(_ event: EngineEvent) {
        switch event {
        case .identified:
            break
        case .admitted(let message):
            count("replytensor_mentions_admitted_total", message.platform)
            newestAdmitted.withLock { newest in
                if newest[message.platform].map({ $0 < message.createdAt }) ?? true {
                    newest[message.platform] = message.createdAt
                }
            }
        case .duplicate(let key):
            count("replytensor_mentions_duplicate_total", key.platform)
        case .rejected(let platform, let input):
            count("replytensor_inputs_rejected_total", platform, ("reason", labels.reason(input.reason)))
        case .skipped(let message, let reason):
            count("replytensor_mentions_skipped_total", message.platform, ("reason", labels.reason(reason)))
        case .answered(let message, let parts, let replyIDs, let completion):
            count("replytensor_mentions_answered_total", message.platform)
            if !replyIDs.isEmpty {
                count("replytensor_replies_posted_total", message.platform)
                count("replytensor_reply_parts_posted_total", message.platform, by: replyIDs.count)
                Recorder(label: "replytensor_reply_parts", dimensions: [("platform", message.platform.rawValue)],
                         aggregate: true, factory: factory).record(parts.count)
            }
            if let completion { recordLatency(completion) }
        case .failed(let message, let reason):
            count("replytensor_mentions_failed_total", message.platform, ("reason", labels.reason(reason)))
        case .unknown(let message, _):
            count("replytensor_mentions_unknown_total", message.platform)
        case .rateLimited(let platform, _, let wait):
            count("replytensor_rate_limit_waits_total", platform)
            FloatingPointCounter(label: "replytensor_rate_limit_wait_seconds_total",
                                 dimensions: [("platform", platform.rawValue)], factory: factory)
                .increment(by: wait.seconds)
        case .pollSucceeded(let platform, let messages):
            count("replytensor_polls_total", platform, ("result", "ok"))
            count("replytensor_mentions_seen_total", platform, by: messages)
        case .pollFailed(let platform, _):
            count("replytensor_polls_total", platform, ("result", "error"))
        case .adapterStopped(let platform, _):
            count("replytensor_adapter_stops_total", platform)
        }
    }

    private func recordLatency(_ completion: Completion) {
        let backend = labels.reason(completion.backend)
        Timer(label: "replytensor_responder_latency_seconds", dimensions: [("backend", backend)], factory: factory)
            .recordNanoseconds(completion.latency.nanoseconds)
        if backend == "subnet", let uid = MinerUID(source: completion.source) {
            Timer(label: "replytensor_miner_latency_seconds", dimensions: [("uid", labels.reason(uid.value))],
                  factory: factory).recordNanoseconds(completion.latency.nanoseconds)
        }
    }

    // MARK: subnet

    /// `replytensor_miner_answers_total{uid, verdict}`: chosen, agreed, outvoted, filtered or failed, per miner uid.
    public func recordMinerVerdict(uid: UInt16?, verdict: String) {
        Counter(label: "replytensor_miner_answers_total",
                dimensions: [("uid", uid.map { uidLabels.reason(String($0)) } ?? "unknown"),
                             ("verdict", labels.reason(verdict))], factory: factory).increment()
    }

    // MARK: HTTP

    public func recordHTTP(platform: String, path: String, status: Int?) {
        let status = status.map(String.init) ?? "error"
        Counter(label: "replytensor_http_requests_total",
                dimensions: [("platform", platform), ("endpoint", labels.endpoint(path)), ("status", status)],
                factory: factory).increment()
        if status == "429" {
            Counter(label: "replytensor_http_429_total", dimensions: [("platform", platform)], factory: factory)
                .increment()
        }
    }

    // MARK: samples

    /// Ledger size per platform and state, cursor lag, process RSS and open file descriptors.
    public func sample(ledger: [Platform: [MentionState: Int]], process: ProcessSample) {
        for (platform, states) in ledger {
            for state in MentionState.allCases {
                gauge("replytensor_ledger_mentions", [("platform", platform.rawValue), ("state", state.rawValue)],
                      Double(states[state] ?? 0))
            }
        }
        let newest = newestAdmitted.withLock { $0 }
        for (platform, date) in newest {
            gauge("replytensor_cursor_lag_seconds", [("platform", platform.rawValue)],
                  max(0, now().timeIntervalSince(date)))
        }
        gauge("replytensor_process_resident_memory_bytes", [], Double(process.residentBytes))
        gauge("replytensor_process_open_fds", [], Double(process.openFileDescriptors))
    }

    // MARK: Replicas

    /// Among replicas sharing a PostgreSQL store: `replytensor_replica_info{replica}` (1) and
    /// `replytensor_replica_lease_held{replica,platform}` (1 while this replica polls the platform).
    public func sampleReplica(name: String, platforms: [Platform], leases: [Platform]) {
        // One value per process: the name as configured, printable ASCII only.
        let replica = String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-:".contains($0)) }.prefix(64))
        gauge("replytensor_replica_info", [("replica", replica)], 1)
        for platform in platforms {
            gauge("replytensor_replica_lease_held", [("replica", replica), ("platform", platform.rawValue)],
                  leases.contains(platform) ? 1 : 0)
        }
    }

    // MARK: Discord Gateway

    /// The states `replytensor_discord_gateway_state` has one series each for.
    static let gatewayStates = ["connecting", "identifying", "resuming", "connected", "waiting", "stopped"]

    /// From the Discord adapter's `gateway.*` state (gateway mode): `replytensor_discord_gateway_state{state}` (1 for
    /// the current one), session resumes, reconnects and dispatches received in this run, the last heartbeat's
    /// round trip.
    public func sampleGateway(_ values: [String: String]) {
        guard let state = values["gateway.state"] else { return }
        for name in Self.gatewayStates {
            gauge("replytensor_discord_gateway_state", [("state", name)], name == state ? 1 : 0)
        }
        for (key, label) in [("gateway.resumes", "replytensor_discord_gateway_resumes"),
                             ("gateway.reconnects", "replytensor_discord_gateway_reconnects"),
                             ("gateway.events_received", "replytensor_discord_gateway_events_received")] {
            if let value = values[key].flatMap(Double.init) { gauge(label, [], value) }
        }
        if let latency = values["gateway.heartbeat_latency_ms"].flatMap(Double.init) {
            gauge("replytensor_discord_gateway_heartbeat_latency_seconds", [], latency / 1000)
        }
    }

    // MARK: helpers

    private func count(_ label: String, _ platform: Platform, _ extra: (String, String)..., by amount: Int = 1) {
        Counter(label: label, dimensions: [("platform", platform.rawValue)] + extra, factory: factory)
            .increment(by: Int64(amount))
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)], _ value: Double) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// A subnet completion's miner uid, from its `source` ("uid 12 (5F…@127.0.0.1:8091)" or "uid=12").
public struct MinerUID {
    let value: String
    init?(source: String) {
        guard let range = source.range(of: "uid") else { return nil }
        let digits = source[range.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count < 6 else { return nil }
        value = String(digits)
    }
}
