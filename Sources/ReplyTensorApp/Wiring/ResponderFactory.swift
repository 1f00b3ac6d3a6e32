import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorGateway
import ReplyTensorHTTP
import ReplyTensorSubnet

/// Builds the responders of `responder.order` (or one of them, for `ask --via`).
public enum ResponderFactory {
    /// With `metrics`, the subnet responder's per-miner verdicts are counted.
    public static func make(_ configuration: ReplyTensorConfiguration, http: any HTTPClient, store: any BotStore,
                     logger: Logger, only: String? = nil, metrics: BotMetrics? = nil) throws -> any Responder {
        let names = only.map { [$0] } ?? configuration.responder.order
        return ResponderChain(try names.map {
            try make(named: $0, configuration, http: http, store: store, logger: logger, metrics: metrics)
        })
    }

    static func make(named name: String, _ configuration: ReplyTensorConfiguration, http: any HTTPClient,
                     store: any BotStore, logger: Logger, metrics: BotMetrics?) throws -> any Responder {
        switch name {
        case "gateway":
            return GatewayResponder(configuration: gateway(configuration), http: http)
        case "subnet":
            let subnet = try SubnetWiring.responder(configuration, http: http, store: store, logger: logger,
                                                    metrics: metrics)
            let platforms = configuration.responder.subnet.platforms
            return platforms.isEmpty ? subnet : PlatformScopedResponder(subnet, platforms: Set(platforms))
        default:
            throw ConfigurationError("[responder.\(name)]: the \(name) responder is not built in this version")
        }
    }

    static func gateway(_ configuration: ReplyTensorConfiguration) -> GatewayConfiguration {
        let section = configuration.responder.gateway
        return GatewayConfiguration(baseURL: section.baseURL, apiKey: section.apiKey ?? "",
                                    authHeader: section.authHeader == "api-key" ? .apiKey : .bearer,
                                    model: section.model, stream: section.stream,
                                    timeout: .milliseconds(Int64(configuration.responder.timeoutSeconds * 1000)),
                                    maxRetries: section.maxRetries,
                                    tokenField: GatewayConfiguration.TokenField(rawValue: section.tokenField) ?? .maxTokens)
    }
}
