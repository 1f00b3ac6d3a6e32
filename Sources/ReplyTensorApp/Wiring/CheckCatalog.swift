import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorGateway
import ReplyTensorHTTP
import ReplyTensorPostgres
import ReplyTensorStore
import ReplyTensorSubnet

/// The online checks of `replytensor check` for the enabled platforms and responders.
public enum CheckCatalog {
    public static func checks(for configuration: ReplyTensorConfiguration, http: any HTTPClient, logger: Logger) -> [Check] {
        var checks: [Check] = []
        if let location = configuration.bot.postgres { checks.append(storeCheck(configuration, location: location)) }
        let state = InMemoryStore()
        let environment = AdapterEnvironment(http: http, state: state, logger: logger)
        checks += telegramChecks(for: configuration, environment: environment)
        checks += discordChecks(for: configuration, environment: environment)
        if configuration.twitter.enabled { checks.append(twitterCheck(configuration, environment: environment)) }
        for name in configuration.responder.order where name == "gateway" {
            let responder = GatewayResponder(configuration: ResponderFactory.gateway(configuration), http: http)
            let base = configuration.responder.gateway.baseURL
            let model = configuration.responder.gateway.model
            checks.append(Check(name: "gateway") {
                do {
                    let models = try await responder.verify()
                    var result = Check.Result(ok: true, summary: "\(base) answered; \(models.count) model(s) listed")
                    if !models.isEmpty && !models.contains(model) {
                        result.warnings.append("the configured model \"\(model)\" is not in the gateway's list: \(models.prefix(10).joined(separator: ", "))")
                    }
                    return result
                } catch {
                    return Check.Result(ok: false, summary: "\(error)")
                }
            })
        }
        checks += subnetChecks(for: configuration, http: http, logger: logger)
        return checks
    }

    /// A PostgreSQL store: reachable, migrated, and who shares it.
    static func storeCheck(_ configuration: ReplyTensorConfiguration, location: PostgresLocation) -> Check {
        Check(name: "store") {
            do {
                let opened = try await StoreOpener.openAsObserver(configuration, role: "check", logger: Logger(label: "replytensor.check"))
                let replicas = try await opened.replicas?.replicas() ?? []
                let writable = await opened.isWritable()
                try? await opened.close()
                var result = Check.Result(ok: writable, summary: "PostgreSQL at \(location.endpoint) "
                    + (writable ? "answered and accepts writes" : "answered but refused a write"))
                result.details.append("replicas registered: \(replicas.isEmpty ? "none" : replicas.map(\.name).joined(separator: ", "))")
                return result
            } catch {
                return Check.Result(ok: false, summary: "\(error)")
            }
        }
    }
}
