import Foundation
import ReplyTensorApp

/// `wallet` and `metagraph` work without a configuration file: they read one when it exists.
enum OptionalConfiguration {
    /// The configuration at `path`, `$REPLYTENSOR_CONFIG` or `./replytensor.toml`; nil when none was named and the
    /// default file does not exist. An invalid file exits with status 78.
    static func load(_ path: String?) throws -> ReplyTensorConfiguration? {
        let environment = ProcessInfo.processInfo.environment
        let url: URL
        if let path {
            url = URL(fileURLWithPath: path)
        } else if let named = environment["REPLYTENSOR_CONFIG"], !named.isEmpty {
            url = URL(fileURLWithPath: named)
        } else {
            url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("replytensor.toml")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        }
        do {
            return try ReplyTensorConfiguration.load(from: url)
        } catch let error as ConfigurationError {
            Console.error(error.description)
            throw ExitStatus.configuration
        }
    }
}
