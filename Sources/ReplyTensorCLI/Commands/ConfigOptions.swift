import ArgumentParser
import ReplyTensorCore
import ReplyTensorApp
import Foundation

/// `--config FILE`, defaulting to `$REPLYTENSOR_CONFIG`, then `./replytensor.toml`.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $REPLYTENSOR_CONFIG, then ./replytensor.toml).")
    var config: String?

    var url: URL {
        if let config { return URL(fileURLWithPath: config) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["REPLYTENSOR_CONFIG"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("replytensor.toml")
    }

    /// Loads the configuration or exits with status 78 and the problems on stderr.
    func load() throws -> ReplyTensorConfiguration {
        do {
            return try ReplyTensorConfiguration.load(from: url)
        } catch let error as ConfigurationError {
            Console.error(error.description)
            throw ExitStatus.configuration
        }
    }
}

/// Writing to the terminal outside the logging system.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
