import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorStore

/// `replytensor-bench [engine|store|telegram|discord [--mode poll|gateway]|subnet|all]`: prints one JSON object per
/// measurement. `telegram` runs the `replytensor` binary built next to it (build both: `swift build -c release`).
@main
enum BenchmarkMain {
    static func main() async throws {
        let which = CommandLine.arguments.dropFirst().first ?? "all"
        if which == "engine" || which == "all" { try await EngineBenchmark.run() }
        if which == "store" || which == "all" { try await StoreBenchmark.run() }
        if which == "telegram" || which == "all" { try await TelegramBenchmark.run() }
        if which == "discord" || which == "all" { try await DiscordBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
        if which == "subnet" || which == "all" { try await SubnetBenchmark.run() }
        if which == "subnet-axon" { try await SubnetBenchmark.serveAxon() }
    }
}

/// Prints a result line.
func report(_ fields: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func temporaryStorePath(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replytensor-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}
