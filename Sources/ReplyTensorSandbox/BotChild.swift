import Foundation
import ReplyTensorApp
import ReplyTensorTestSupport

/// The bot as a child process: `replytensor run --config FILE`, this same executable, output appended to a log file
/// across restarts.
public final class BotChild: Sendable {
    let executable: String
    private let child: ChildProcess

    init(configURL: URL, environment: [String: String], log: URL) throws {
        self.executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        child = ChildProcess(executable: URL(fileURLWithPath: executable), arguments: ["run", "--config", configURL.path],
                             environment: environment, input: .null, output: .log(log))
    }

    /// The last lines the child wrote.
    func logTail(lines: Int = 20) -> String { child.logTail(lines: lines) }

    var pid: Int32 { child.pid }

    func start() throws { try child.start() }

    /// SIGKILL, then waits for the exit.
    func kill9() async { await child.kill9() }

    /// SIGTERM (a graceful drain), then SIGKILL if it has not exited within 10 s.
    func terminate() async { await child.terminate(grace: .seconds(10)) }

    /// Samples the current child's resident memory every 100 ms; the peak across restarts.
    func sampleMemory() -> ChildMemory {
        ChildMemory(task: Task { [self] in
            var peak = 0
            while !Task.isCancelled {
                let pid = self.pid
                if pid > 0 { peak = max(peak, ProcessSample.residentBytes(pid: pid)) }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        })
    }
}

public struct ChildMemory {
    let task: Task<Int, Never>
    func stop() async -> Int {
        task.cancel()
        return await task.value
    }
}
