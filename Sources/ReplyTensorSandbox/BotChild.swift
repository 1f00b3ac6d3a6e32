import Foundation
import Synchronization

/// The bot as a child process: `replytensor run --config FILE`, this same executable, output to a log file.
public final class BotChild: Sendable {
    let executable: String
    private let configURL: URL
    private let environment: [String: String]
    private let log: URL
    private let process = Mutex<Process?>(nil)

    init(configURL: URL, environment: [String: String], log: URL) throws {
        self.executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        self.configURL = configURL
        var inherited = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        inherited["NO_PROXY"] = "127.0.0.1,localhost,::1"
        inherited["no_proxy"] = "127.0.0.1,localhost,::1"
        self.environment = inherited
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    }

    /// The last lines the child wrote.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    var pid: Int32 { process.withLock { $0?.processIdentifier ?? 0 } }

    func start() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["run", "--config", configURL.path]
        child.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        child.standardOutput = handle
        child.standardError = handle
        child.standardInput = FileHandle.nullDevice
        try child.run()
        process.withLock { $0 = child }
    }

    /// SIGKILL, then waits for the exit.
    func kill9() async {
        guard let child = process.withLock({ $0 }) else { return }
        kill(child.processIdentifier, SIGKILL)
        await Self.waitForExit(child, timeout: .seconds(5))
    }

    /// SIGTERM (a graceful drain), then SIGKILL if it has not exited within 10 s.
    func terminate() async {
        guard let child = process.withLock({ $0 }) else { return }
        kill(child.processIdentifier, SIGTERM)
        await Self.waitForExit(child, timeout: .seconds(10))
        if child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            await Self.waitForExit(child, timeout: .seconds(5))
        }
    }

    static func waitForExit(_ child: Process, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while child.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Samples the current child's resident memory every 100 ms; the peak across restarts.
    func sampleMemory() -> ChildMemory {
        ChildMemory(task: Task { [self] in
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, Self.residentBytes(pid))
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        })
    }

    static func residentBytes(_ pid: Int32) -> Int {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

public struct ChildMemory {
    let task: Task<Int, Never>
    func stop() async -> Int {
        task.cancel()
        return await task.value
    }
}
