import CoreMetrics
import Foundation
import Prometheus
import ReplyTensorApp
import ReplyTensorCore
import Testing

@Suite("Metrics and health")
struct MetricsTests {
    @Test("listen addresses: host:port, [v6]:port, :port; garbage refused")
    func addresses() {
        #expect(MetricsAddress("127.0.0.1:9464").map { [$0.host, "\($0.port)"] } == ["127.0.0.1", "9464"])
        #expect(MetricsAddress("[::1]:9464")?.host == "::1")
        #expect(MetricsAddress(":9464")?.host == "127.0.0.1")
        #expect(MetricsAddress("127.0.0.1") == nil)
        #expect(MetricsAddress("127.0.0.1:http") == nil)
        #expect(MetricsAddress("127.0.0.1:70000") == nil)
    }

    @Test("reason and endpoint labels are short codes, never tokens, and bounded in number")
    func labels() {
        let labels = MetricLabel(limit: 4)
        #expect(labels.reason("responder: gateway said 500") == "responder")
        #expect(labels.reason("blocklist.user") == "blocklist.user")
        #expect(labels.endpoint("/bot123456:AAE-secret/sendMessage") == "/bot:token/sendMessage")
        #expect(labels.endpoint("/channels/1234567890/messages") == "/channels/:id/messages")
        #expect(labels.reason("yet another") == "other")
        #expect(labels.reason("responder: again") == "responder")
    }

    @Test("engine events become counters with fixed label names; Prometheus text carries them")
    func eventsToPrometheus() throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = BotMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let message = InboundMessage(platform: .telegram, id: "1:2", platformMessageID: "2",
                                     chat: ChatRef(id: "1", kind: .group), author: Author(id: "9"), text: "hi",
                                     addressedAs: .mention, createdAt: Date())
        metrics.record(.admitted(message))
        metrics.record(.skipped(message, reason: "blocklist.user"))
        metrics.record(.failed(message, reason: "responder: every responder failed"))
        metrics.record(.answered(message, parts: ["a", "b"], replyIDs: ["5", "6"],
                                 completion: Completion(text: "ab", backend: "subnet", source: "uid 12 (5F…)",
                                                        latency: .milliseconds(250))))
        metrics.recordHTTP(platform: "telegram", path: "/bot1:x/sendMessage", status: 429)
        metrics.sample(ledger: [.telegram: [.answered: 1]], process: .current())
        let text = registry.emitToString()
        #expect(text.contains(#"replytensor_mentions_admitted_total{platform="telegram"} 1"#))
        #expect(text.contains(#"replytensor_mentions_skipped_total{platform="telegram",reason="blocklist.user"} 1"#))
        #expect(text.contains(#"replytensor_mentions_failed_total{platform="telegram",reason="responder"} 1"#))
        #expect(text.contains(#"replytensor_reply_parts_posted_total{platform="telegram"} 2"#))
        #expect(text.contains(#"replytensor_http_429_total{platform="telegram"} 1"#))
        #expect(text.contains(#"replytensor_miner_latency_seconds_count{uid="12"} 1"#))
        metrics.recordMinerVerdict(uid: 0, verdict: "outvoted")
        metrics.recordMinerVerdict(uid: 0, verdict: "outvoted")
        metrics.recordMinerVerdict(uid: 3, verdict: "chosen")
        let verdicts = registry.emitToString()
        #expect(verdicts.contains(#"replytensor_miner_answers_total{uid="0",verdict="outvoted"} 2"#))
        #expect(verdicts.contains(#"replytensor_miner_answers_total{uid="3",verdict="chosen"} 1"#))
        #expect(text.contains(#"replytensor_ledger_mentions{platform="telegram",state="answered"} 1"#))
        #expect(ProcessSample.current().residentBytes > 0)
    }

    @Test("health: a stale or stopped platform or an unwritable store is unhealthy, with reasons")
    func health() {
        let now = Date()
        let started = now.addingTimeInterval(-600)
        let fresh = HealthReport(platforms: [.telegram], lastPoll: [.telegram: now.addingTimeInterval(-2)], stopped: [:],
                                 storeWritable: true, window: 60, startedAt: started, now: now)
        #expect(fresh.healthy)
        let stale = HealthReport(platforms: [.telegram, .discord], lastPoll: [.telegram: now.addingTimeInterval(-120)],
                                 stopped: [.discord: "401"], storeWritable: false, window: 60, startedAt: started,
                                 now: now)
        #expect(!stale.healthy)
        #expect(stale.reasons.count == 3)
        let starting = HealthReport(platforms: [.telegram], lastPoll: [:], stopped: [:], storeWritable: true,
                                    window: 60, startedAt: now.addingTimeInterval(-5), now: now)
        #expect(starting.healthy)
    }

    @Test("loopback always bypasses proxies; no_proxy from the environment is kept")
    func noProxy() {
        #expect(HTTPClientFactory.noProxy([:]) == "localhost,127.0.0.1,::1")
        #expect(HTTPClientFactory.noProxy(["no_proxy": "example.internal, localhost"])
            == "localhost,127.0.0.1,::1,example.internal")
        #expect(HTTPClientFactory.noProxy(["NO_PROXY": "*"]) == "*")
    }
}
