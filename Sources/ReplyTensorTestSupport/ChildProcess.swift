import Foundation
import Synchronization

/// A child process as the sandbox's crash scenario and the end-to-end tests run one: an executable with arguments,
/// this process's environment plus the one given (loopback never proxied), its output appended to a log file (or
/// read line by line from a pipe), signals, and waiting for the exit. `start()` may run it again after an exit; a
/// restart appends to the same log.
public final class ChildProcess: Sendable {
    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        /// This process's own.
        case inherited
        /// `/dev/null`.
        case null
        /// A pipe: `write(_:)` and `closeInput()`.
        case pipe
    }

    /// Where the child's standard output and error go.
    public enum Output: Sendable {
        /// Both appended to this file.
        case log(URL)
        /// Standard output to a pipe (`readLine()`), standard error discarded.
        case pipe
    }

    public let executable: URL
    public let arguments: [String]
    public let directory: URL?
    public let output: Output
    private let input: Input
    private let environment: [String: String]
    private let state = Mutex<Running?>(nil)
    private static let launches = Mutex<Void>(())

    private struct Running {
        var process: Process
        var input: Pipe?
        var output: Pipe?
    }

    /// Creates the log file (empty) when output goes to one.
    public init(executable: URL, arguments: [String], directory: URL? = nil, environment: [String: String] = [:],
                input: Input = .inherited, output: Output) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.input = input
        self.output = output
        var merged = ProcessInfo.processInfo.environment
        merged["NO_PROXY"] = "127.0.0.1,localhost,::1"
        merged["no_proxy"] = "127.0.0.1,localhost,::1"
        for (key, value) in environment { merged[key] = value }
        self.environment = merged
        if case .log(let url) = output { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
    }

    /// Starts the child (again, after an exit).
    public func start() throws {
        let child = Process()
        child.executableURL = executable
        child.arguments = arguments
        child.environment = environment
        if let directory { child.currentDirectoryURL = directory }
        var running = Running(process: child)
        switch input {
        case .inherited: break
        case .null: child.standardInput = FileHandle.nullDevice
        case .pipe:
            let pipe = Pipe()
            child.standardInput = pipe
            running.input = pipe
        }
        switch output {
        case .log(let url):
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            child.standardOutput = handle
            child.standardError = handle
        case .pipe:
            let pipe = Pipe()
            child.standardOutput = pipe
            child.standardError = FileHandle.nullDevice
            running.output = pipe
        }
        // One launch at a time in this process: Foundation's `Process.run()` on Linux crashed (a bad pointer in its
        // memcpy) when tests started children on several threads at once (pg_ctl and createdb beside the bot).
        try Self.launches.withLock { _ in try child.run() }
        state.withLock { $0 = running }
    }

    private var process: Process? { state.withLock { $0?.process } }

    /// The current child's process id (0 before the first start).
    public var pid: Int32 { process?.processIdentifier ?? 0 }
    public var isRunning: Bool { process?.isRunning ?? false }
    /// The exit status, once the child has exited.
    public var exitStatus: Int32? {
        guard let process, !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// Everything in the log so far ("" with piped output).
    public var logText: String {
        guard case .log(let url) = output else { return "" }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The last lines of the log.
    public func logTail(lines: Int = 20) -> String {
        logText.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Writes to a piped standard input.
    public func write(_ data: Data) {
        state.withLock { $0?.input }?.fileHandleForWriting.write(data)
    }

    /// Closes a piped standard input (the child reads end of file).
    public func closeInput() {
        try? state.withLock { $0?.input }?.fileHandleForWriting.close()
    }

    /// The next line of a piped standard output (without its newline); nil at the end of the output. Blocks.
    public func readLine() -> String? {
        guard let handle = state.withLock({ $0?.output })?.fileHandleForReading else { return nil }
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == Data("\n".utf8) { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// The JSON object a server child announces itself with on its first line of piped output (e.g. its port and
    /// key). Blocks; throws (and stops the child) when that line is not one.
    public func announcement() throws -> [String: Any] {
        let line = readLine() ?? ""
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            signal(SIGTERM)
            throw ChildProcessError("\(executable.lastPathComponent) \(arguments.first ?? "") did not start: \(line)")
        }
        return object
    }

    public func signal(_ number: Int32) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, number)
    }

    /// Waits (up to `timeout`) for the exit; its status, or nil while the child still runs.
    @discardableResult
    public func waitForExit(timeout: Duration) async -> Int32? {
        _ = await Polling.wait(timeout: timeout, every: .milliseconds(20)) { !self.isRunning }
        return exitStatus
    }

    /// SIGKILL, then waits (up to 5 s) for the exit.
    public func kill9() async {
        guard process != nil else { return }
        signal(SIGKILL)
        await waitForExit(timeout: .seconds(5))
    }

    /// SIGTERM (a graceful stop), then SIGKILL when the child has not exited within `grace`.
    public func terminate(grace: Duration = .seconds(10)) async {
        guard process != nil else { return }
        signal(SIGTERM)
        await waitForExit(timeout: grace)
        if isRunning { await kill9() }
    }

    /// Blocks until the child has exited.
    public func waitUntilExit() { process?.waitUntilExit() }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
