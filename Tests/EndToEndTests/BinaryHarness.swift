import Foundation
import ReplyTensorTestSupport
import Testing

/// Runs the built `replytensor` binary as an operator would: a config file in a temporary folder, environment
/// variables for secrets, signals to stop it.
final class BotProcess: Sendable {
    let process: ChildProcess
    let folder: URL

    static let packageRoot = PythonOracle.packageRoot

    /// The binary `swift build` produced for this test run.
    static var binary: URL {
        let candidates = [".build/debug/replytensor", ".build/x86_64-unknown-linux-gnu/debug/replytensor"]
        for candidate in candidates {
            let url = packageRoot.appendingPathComponent(candidate)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(candidates[0])
    }

    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("replytensor-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts `replytensor ARGS` in `folder` with `environment` added; stderr and stdout go to a log file.
    init(_ arguments: [String], folder: URL, environment: [String: String] = [:],
         input: ChildProcess.Input = .inherited) throws {
        self.folder = folder
        let log = folder.appendingPathComponent("output-\(UUID().uuidString.prefix(8)).log")
        process = ChildProcess(executable: Self.binary, arguments: arguments, directory: folder, environment: environment,
                               input: input, output: .log(log))
        try process.start()
    }

    var output: String { process.logText }

    func signal(_ number: Int32) { process.signal(number) }

    /// Waits for the process to exit (up to `timeout`); returns its status, or nil if it is still running.
    func waitForExit(timeout: Duration) async -> Int32? { await process.waitForExit(timeout: timeout) }

    deinit {
        process.signal(SIGKILL)
    }

    /// Runs a command to completion and returns (status, combined output).
    static func run(_ arguments: [String], folder: URL, environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        let bot = try BotProcess(arguments, folder: folder, environment: environment)
        guard let status = await bot.waitForExit(timeout: timeout) else {
            bot.signal(SIGKILL)
            Issue.record("replytensor \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            return (-1, bot.output)
        }
        return (status, bot.output)
    }
}

/// Counts over a platform's ledger (`status --json` → mentions → platform).
enum LedgerCounts {
    /// Mentions in a final state: answered, failed, or unknown (interrupted while posting).
    static func finished(_ ledger: [String: Int]) -> Int {
        (ledger["answered"] ?? 0) + (ledger["unknown"] ?? 0) + (ledger["failed"] ?? 0)
    }
}
