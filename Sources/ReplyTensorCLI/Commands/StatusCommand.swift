import ArgumentParser
import ReplyTensorApp
import Foundation
import ReplyTensorCore
import Logging

/// `replytensor status`: what the store knows.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show mentions by platform and state, recent failures, limit state and cursors.",
        discussion: "Exit status: 0, or 78 for a configuration error.")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Print machine-readable JSON.") var json = false

    func run() async throws {
        let configuration = try options.load()
        let path = configuration.bot.store.path
        if configuration.bot.postgres == nil, !FileManager.default.fileExists(atPath: path) {
            if json {
                Console.out(#"{"store":\#(StatusReport.quote(path)),"exists":false}"#)
            } else {
                Console.out("No store yet at \(path): the bot has not run with this configuration.")
            }
            return
        }
        let opened: OpenedStore
        do {
            opened = try await StoreOpener.openAsObserver(configuration, role: "status",
                                                          logger: Logger(label: "replytensor.status"))
        } catch {
            Console.error("cannot open the store: \(error)")
            throw ExitStatus.failure
        }
        let report = try await StatusReport.gather(store: opened.store, description: opened.description,
                                                   replicas: opened.replicas, configuration: configuration)
        try? await opened.close()
        Console.out(json ? report.json() : report.text())
    }
}
