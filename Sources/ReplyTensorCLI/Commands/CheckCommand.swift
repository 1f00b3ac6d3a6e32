import ArgumentParser
import ReplyTensorApp
import Foundation
import Logging
import ReplyTensorCore

/// `replytensor check`: validates the configuration and, unless `--offline`, reaches every enabled platform
/// and responder.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration; without --offline also verify credentials and reachability.",
        discussion: "Exit status: 0 ok, 1 a check failed, 78 invalid configuration.")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Only validate the configuration; contact nothing.") var offline = false

    func run() async throws {
        let configuration = try options.load()
        Console.out("Configuration \(configuration.source?.path ?? "") is valid.")
        Console.out("  platforms: \(configuration.enabledPlatforms.isEmpty ? "none enabled" : configuration.enabledPlatforms.map(\.rawValue).joined(separator: ", "))")
        Console.out("  responders: \(configuration.responder.order.joined(separator: " → "))")
        Console.out("  store: \(configuration.storeDescription)")
        Console.out("  plugins: \(configuration.activePlugins.joined(separator: ", "))")
        for warning in ConfigurationWarnings.list(configuration) { Console.out("  ⚠ \(warning)") }
        if offline { return }
        var logger = Logger(label: "replytensor.check")
        logger.logLevel = .critical
        let checks = CheckCatalog.checks(for: configuration, http: HTTPClientFactory.make(configuration), logger: logger)
        var failed = false
        for check in checks {
            let result = await check.run()
            Console.out("\(result.ok ? "✔" : "✘") \(check.name): \(result.summary)")
            for warning in result.warnings { Console.out("  ⚠ \(warning)") }
            for detail in result.details { Console.out("  \(detail)") }
            if !result.ok { failed = true }
        }
        if failed { throw ExitStatus.failure }
    }
}
