import Prometheus
import ReplyTensorApp
import Testing

@Suite("Discord Gateway metrics")
struct GatewayMetricsTests {
    @Test("the Discord adapter's gateway.* state becomes gauges: the current state, resumes, reconnects, latency, events")
    func gatewayStateToPrometheus() {
        let registry = PrometheusCollectorRegistry()
        let metrics = BotMetrics(factory: PrometheusMetricsFactory(registry: registry))
        metrics.sampleGateway(["poll.started_at_id": "1"])
        #expect(!registry.emitToString().contains("replytensor_discord_gateway"))
        metrics.sampleGateway(["gateway.state": "resuming", "gateway.resumes": "2", "gateway.reconnects": "3",
                               "gateway.heartbeat_latency_ms": "42", "gateway.events_received": "17"])
        let text = registry.emitToString()
        #expect(text.contains(#"replytensor_discord_gateway_state{state="resuming"} 1"#))
        #expect(text.contains(#"replytensor_discord_gateway_state{state="connected"} 0"#))
        #expect(text.contains("replytensor_discord_gateway_resumes 2"))
        #expect(text.contains("replytensor_discord_gateway_reconnects 3"))
        #expect(text.contains("replytensor_discord_gateway_heartbeat_latency_seconds 0.042"))
        #expect(text.contains("replytensor_discord_gateway_events_received 17"))
    }
}
