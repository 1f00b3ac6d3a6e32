import DiscordPlatform
import Foundation
import ReplyTensorCore
import TelegramPlatform
import TwitterPlatform

/// Builds the adapter of one platform from its configuration section.
public enum PlatformFactory {
    static func make(_ platform: Platform, configuration: ReplyTensorConfiguration,
                     environment: AdapterEnvironment) throws -> any PlatformAdapter {
        switch platform {
        case .telegram:
            return TelegramAdapter(configuration: telegram(configuration), environment: environment)
        case .discord:
            return DiscordAdapter(configuration: discord(configuration), environment: environment)
        case .twitter:
            return TwitterAdapter(configuration: twitter(configuration), environment: environment)
        default:
            throw ConfigurationError("[\(platform)]: the \(platform) adapter is not built in this version")
        }
    }

    static func telegram(_ configuration: ReplyTensorConfiguration) -> TelegramConfiguration {
        let section = configuration.telegram
        return TelegramConfiguration(token: section.token, apiBase: section.apiBase,
                                     pollTimeoutSeconds: section.pollTimeoutSeconds, maxParts: section.maxParts,
                                     deleteWebhook: section.deleteWebhook)
    }

    static func discord(_ configuration: ReplyTensorConfiguration) -> DiscordConfiguration {
        let section = configuration.discord
        return DiscordConfiguration(token: section.token, apiBase: section.apiBase, guilds: section.guilds,
                                    channels: section.channels,
                                    pollInterval: .milliseconds(Int64(section.pollIntervalSeconds * 1000)),
                                    pollRequestsPerSecond: section.pollRequestsPerSecond, maxParts: section.maxParts,
                                    tokenSource: "the token named by [discord] token_env or token_file")
    }
}
