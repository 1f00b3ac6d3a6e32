import DiscordPlatform
import Foundation
import ReplyTensorCore

extension CheckCatalog {
    /// `check` for Discord: the token, the guilds and channels the bot can read and write, missing permissions,
    /// and what idle polling will cost; in gateway mode the Gateway's shards, session starts and intents instead.
    static func discordChecks(for configuration: ReplyTensorConfiguration, environment: AdapterEnvironment) -> [Check] {
        guard configuration.discord.enabled else { return [] }
        let adapter = DiscordAdapter(configuration: configuration.discord, environment: environment)
        return [Check(name: "discord") {
            do {
                let report = try await adapter.verify()
                let readable = report.channels.filter(\.readable)
                let writable = report.channels.filter(\.writable)
                var result = Check.Result(
                    ok: true,
                    summary: "token accepted: \(report.botName) (id \(report.botID)); \(report.guilds.count) guild(s), "
                        + "\(readable.count) readable and \(writable.count) writable channel(s)")
                result.warnings = report.warnings
                for guild in report.guilds { result.details.append("guild \(guild)") }
                for channel in report.channels {
                    let access = [channel.readable ? "read" : nil, channel.writable ? "write" : nil].compactMap { $0 }
                    result.details.append("  #\(channel.name) (\(channel.id)): "
                        + (access.isEmpty ? "no access" : access.joined(separator: "+")))
                }
                let budget = report.budget
                if let gateway = report.gateway {
                    result.details.append(gateway.summary)
                } else {
                    result.details.append(String(format: "polling: %d request(s) per round, a round every %.1f s, "
                        + "about %.0f idle requests/min; a mention may wait up to %.1f s to be seen",
                        budget.requestsPerRound, budget.roundInterval.seconds, budget.idleRequestsPerMinute,
                        budget.worstCaseWait.seconds))
                }
                return result
            } catch {
                return Check.Result(ok: false, summary: "\(error)")
            }
        }]
    }
}
