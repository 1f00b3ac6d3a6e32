import DiscordPlatform
import ReplyTensorCore
import TelegramPlatform
import TwitterPlatform

/// Builds the adapters of the enabled platforms. Each adapter's settings type read its own section, so this only
/// routes the settings to their adapter.
public enum PlatformFactory {
    /// The adapter of every enabled platform, in the order of `enabledPlatforms`; `environment` gives each its own.
    static func adapters(_ configuration: ReplyTensorConfiguration,
                         environment: (Platform) -> AdapterEnvironment) -> [any PlatformAdapter] {
        var adapters: [any PlatformAdapter] = []
        if configuration.telegram.enabled {
            adapters.append(TelegramAdapter(configuration: configuration.telegram, environment: environment(.telegram)))
        }
        if configuration.discord.enabled {
            adapters.append(DiscordAdapter(configuration: configuration.discord, environment: environment(.discord)))
        }
        if configuration.twitter.enabled {
            adapters.append(TwitterAdapter(configuration: configuration.twitter, environment: environment(.twitter)))
        }
        return adapters
    }
}
