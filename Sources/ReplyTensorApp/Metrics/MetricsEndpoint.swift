import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ReplyTensorCore
import ReplyTensorStore

/// `[metrics] listen`: `/metrics` (Prometheus text format) and `/healthz`, served by Hummingbird as one more service
/// of `run`'s ServiceGroup.
public struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let metrics: BotMetrics
    let engine: Engine
    let store: OpenedStore
    let platforms: [Platform]
    let window: TimeInterval
    let startedAt = Date()

    func application(address: MetricsAddress, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            await self.sample()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            self.registry.emit(into: &buffer)
            return Response(status: .ok,
                            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/healthz") { _, _ -> Response in
            let report = await self.health()
            return Response(status: report.healthy ? .ok : .serviceUnavailable,
                            headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: report.json)))
        }
        var quiet = logger
        quiet.logLevel = .warning
        return Application(router: router,
                           configuration: .init(address: .hostname(address.host, port: address.port),
                                                serverName: "replytensor-metrics"),
                           logger: quiet)
    }

    func health() async -> HealthReport {
        let (lastPoll, stopped) = engine.health
        return HealthReport(platforms: platforms, lastPoll: lastPoll, stopped: stopped,
                            storeWritable: await store.isWritable(), window: window, startedAt: startedAt, now: Date())
    }

    private func sample() async {
        let ledger = (try? await store.store.stateCounts()) ?? [:]
        metrics.sample(ledger: ledger, process: .current())
        if let replica = engine.replicaState {
            metrics.sampleReplica(name: replica.name, platforms: platforms, leases: replica.leases)
        }
        if platforms.contains(.discord), let discord = try? await store.store.values(for: .discord) {
            metrics.sampleGateway(discord)
        }
    }
}
