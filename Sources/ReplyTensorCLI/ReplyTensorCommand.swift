import ArgumentParser
import ReplyTensorCore
import ReplyTensorApp

/// `replytensor`: the reply bot and its operator tools.
public struct ReplyTensorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replytensor",
        abstract: "A reply bot for X, Telegram and Discord answered by Bittensor's prompting subnet or a gateway.",
        version: ReplyTensorVersion.string,
        subcommands: CommandCatalog.commands
    )

    public init() {}
}

/// Exit statuses every command keeps (README, "Running it for real"): 0 ok, 1 failure, 64 usage, 78 configuration.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let usage = ExitCode(64)
    static let configuration = ExitCode(78)
}
