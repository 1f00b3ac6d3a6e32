import Bittensor
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorSubnet

extension CheckCatalog {
    /// `check` for the subnet responder: the hotkey loads, the chain answers, miners are serving.
    static func subnetChecks(for configuration: ReplyTensorConfiguration, http: any HTTPClient, logger: Logger) -> [Check] {
        guard configuration.responder.order.contains("subnet") else { return [] }
        return [Check(name: "subnet") {
            let keypair: Sr25519Keypair
            let subnetConfiguration: SubnetConfiguration
            do {
                keypair = try SubnetWiring.keypair(configuration)
                subnetConfiguration = try SubnetWiring.subnetConfiguration(configuration)
            } catch {
                return Check.Result(ok: false, summary: "hotkey: \(error)")
            }
            let responder = SubnetResponder(configuration: subnetConfiguration, keypair: keypair, http: http,
                                            store: InMemoryStore(), logger: logger)
            do {
                let (neurons, serving) = try await responder.verify()
                var result = Check.Result(
                    ok: serving > 0,
                    summary: "hotkey \(keypair.ss58Address) loaded; \(subnetConfiguration.network) netuid "
                        + "\(subnetConfiguration.netuid): \(neurons) neurons, \(serving) miner(s) serving")
                if serving == 0 {
                    result.summary += " — no miner the bot may query"
                    if !subnetConfiguration.allowPrivateAxons { result.warnings.append("allow_private_axons = false refuses loopback/private axons") }
                }
                return result
            } catch {
                return Check.Result(ok: false, summary: "hotkey \(keypair.ss58Address) loaded; chain: \(error)")
            }
        }]
    }
}
