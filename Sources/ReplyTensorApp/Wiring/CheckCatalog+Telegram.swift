import Foundation
import ReplyTensorCore
import TelegramPlatform

extension CheckCatalog {
    /// `check` for Telegram: the token (`getMe`), privacy mode, and whether a webhook is set (`getWebhookInfo`),
    /// which would make every `getUpdates` answer 409. A second poller on the token cannot be seen without
    /// disturbing it; `run` names it in its log when Telegram answers 409.
    static func telegramChecks(for configuration: ReplyTensorConfiguration, environment: AdapterEnvironment) -> [Check] {
        guard configuration.telegram.enabled else { return [] }
        let adapter = TelegramAdapter(configuration: configuration.telegram, environment: environment)
        let deleteWebhook = configuration.telegram.deleteWebhook
        return [Check(name: "telegram") {
            let info: TelegramBotInfo
            do {
                info = try await adapter.verify()
            } catch {
                return Check.Result(ok: false, summary: "\(error)")
            }
            var result = Check.Result(ok: true, summary: "token accepted: @\(info.username) (id \(info.id))")
            do {
                let webhook = try await adapter.webhookInfo()
                if let warning = webhook.warning(deleteWebhook: deleteWebhook) { result.warnings.append(warning) }
                result.details.append(webhook.isSet ? "webhook: set (host \(webhook.host))"
                                                    : "webhook: none (getUpdates can poll)")
            } catch {
                result.warnings.append("could not read the webhook state (getWebhookInfo): \(error)")
            }
            if let warning = info.privacyWarning { result.warnings.append(warning) }
            return result
        }]
    }
}
