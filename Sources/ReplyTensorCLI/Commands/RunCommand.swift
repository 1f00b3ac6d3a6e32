import ArgumentParser
import ReplyTensorCore
import Logging
import ReplyTensorApp

/// `replytensor run`: the bot, until SIGINT/SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bot until SIGINT/SIGTERM, then shut down gracefully.",
        discussion: "Exit status: 0 clean stop, 1 fatal runtime error, 78 configuration error.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let earlyStop = await EarlyStop.listen()
        defer { earlyStop.finish() }
        let configuration = try options.load()
        LoggingSetup.bootstrap(configuration.log, secrets: configuration.secrets)
        guard !configuration.enabledPlatforms.isEmpty else {
            Console.error("configuration error: no platform is enabled; set enabled = true in [telegram], [discord] or [twitter]")
            throw ExitStatus.configuration
        }
        do throws(BotRunner.Failure) {
            try await BotRunner.run(configuration, logger: Logger(label: "replytensor"), earlyStop: earlyStop)
        } catch .configuration(let message) {
            Console.error(message)
            throw ExitStatus.configuration
        } catch .fatal {
            throw ExitStatus.failure
        } catch .refused(let message) {
            Console.error(message)
            throw ExitStatus.failure
        }
    }
}
