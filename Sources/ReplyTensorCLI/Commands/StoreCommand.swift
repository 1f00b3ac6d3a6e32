import ArgumentParser
import Foundation
import Logging
import ReplyTensorApp
import ReplyTensorCore

/// `replytensor store …`: maintenance of the store itself.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Maintain the store (copy it between SQLite and PostgreSQL).",
        subcommands: [StoreCopyCommand.self])
}

/// `replytensor store copy --from PATH_OR_URL --to PATH_OR_URL [--force] [--config FILE]`.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a stopped bot's store: ledger, cursors, waits, tokens, adapter state, conversation log.",
        discussion: """
            PATH_OR_URL is a SQLite file or postgresql://USER@HOST:PORT/DB?sslmode=…; the password comes from the \
            configuration's store_password_env/store_password_file (with --config), else $REPLYTENSOR_STORE_PASSWORD. \
            A non-empty target is refused unless --force. Exit status: 0, 1 when the copy is refused or fails, 78 \
            for a configuration error.
            """)

    @Option(name: .long, help: "The store to copy from (a SQLite path or a postgresql:// URL).") var from: String
    @Option(name: .long, help: "The store to copy to (a SQLite path or a postgresql:// URL).") var to: String
    @Flag(name: .long, help: "Replace what a non-empty target holds.") var force = false
    @Option(name: .long, help: "Configuration file whose [bot] store_password_env/_file gives the password.")
    var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var password = environment["REPLYTENSOR_STORE_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let config {
            var options = ConfigOptions()
            options.config = config
            let configuration = try options.load()
            password = configuration.bot.storePassword ?? password
        }
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let copy = try StoreCopy(from: from, to: to, force: force, password: password, base: base)
            let snapshot = try await copy.run(logger: Logger(label: "replytensor.store-copy"))
            Console.out("copied \(copy.from) → \(copy.to)")
            for (table, rows) in snapshot.counts {
                Console.out("  " + table.padding(toLength: 18, withPad: " ", startingAt: 0) + "\(rows)")
            }
        } catch {
            Console.error("store copy: \(error.description)")
            throw error.isConfiguration ? ExitStatus.configuration : ExitStatus.failure
        }
    }
}
