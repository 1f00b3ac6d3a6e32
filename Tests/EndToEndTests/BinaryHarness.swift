import Foundation
import Testing

/// Runs the built `replytensor` binary as an operator would: a config file in a temporary folder, environment
/// variables for secrets, signals to stop it.
final class BotProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are only touched through Foundation's thread-safe Process API.
    let process = Process()
    let folder: URL
    let logURL: URL

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

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
    init(_ arguments: [String], folder: URL, environment: [String: String] = [:]) throws {
        self.folder = folder
        logURL = folder.appendingPathComponent("output-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["NO_PROXY"] = "127.0.0.1,localhost,::1"
        env["no_proxy"] = "127.0.0.1,localhost,::1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit (up to `timeout`); returns its status, or nil if it is still running.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
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
