import Foundation

/// `replytensor-bench [engine [--store postgresql://…]|store|telegram [--peer] [--python PATH]|memory|discord [--mode poll|gateway]|subnet|all]`:
/// prints one JSON object per measurement, then one per issue-14 goal whose figure the run measured (`goal`, `figure`,
/// `met`).
/// `telegram`, `memory` and `all` run the `replytensor` binary built next to it (build both: `swift build -c release`);
/// `telegram --peer` also runs scripts/bench/ptb_bot.py with the repository's `.venv/bin/python` (run from the
/// repository root, or pass `--python`). Exits 1 when a benchmark failed (e.g. a mention without exactly one reply).
@main
enum BenchmarkMain {
    static func main() async throws {
        let options = BenchmarkOptions(CommandLine.arguments.dropFirst())
        let which = options.command
        do {
            if which == "engine", let url = options.store {
                try await SharedEngineBenchmark.run(url: url)
            } else if which == "engine" || which == "all" {
                try await EngineBenchmark.run()
            }
            if which == "store" || which == "all" { try await StoreBenchmark.run() }
            if which == "telegram" && !options.peer || which == "all" { try await TelegramBenchmark.run() }
            if which == "telegram" && options.peer || which == "all" { try await PeerBenchmark.run(options) }
            if which == "memory" || which == "all" { try await MemoryBenchmark.run() }
            if which == "discord" || which == "all" {
                try await DiscordBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
            }
            if which == "subnet" || which == "all" { try await SubnetBenchmark.run() }
            if which == "subnet-axon" { try await SubnetBenchmark.serveAxon() }
        } catch {
            report(["benchmark": which, "error": "\(error)"])
            BenchmarkResults.shared.fail()
        }
        IssueGoals.report(BenchmarkResults.shared.lines)
        if BenchmarkResults.shared.failed { exit(1) }
    }
}

/// Prints a result line (and keeps it for the goals at the end).
func report(_ fields: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
    BenchmarkResults.shared.add(data)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func temporaryStorePath(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replytensor-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}
