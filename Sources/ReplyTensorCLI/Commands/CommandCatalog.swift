import ArgumentParser
import ReplyTensorCore
import ReplyTensorApp

/// The subcommands this build ships. Commands whose parts are not built are absent, not stubbed.
enum CommandCatalog {
    static let commands: [any ParsableCommand.Type] = [
        RunCommand.self, CheckCommand.self, StatusCommand.self, SandboxCommand.self, AskCommand.self,
        WalletCommand.self, MetagraphCommand.self, StoreCommand.self,
    ]
}
