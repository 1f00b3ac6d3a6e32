import Foundation
import Testing

/// Runs a Python script with the test oracles' interpreter ($REPLYTENSOR_PYTHON, set by scripts/test.sh).
/// A missing oracle is a failure, never a skip.
enum PythonOracle {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "REPLYTENSOR_PYTHON is not set to the oracle virtual environment's python; run scripts/test.sh"
        }
    }

    static func interpreter() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["REPLYTENSOR_PYTHON"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let local = BotProcess.packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: local) else { throw Missing() }
        return local
    }

    /// Runs `script` with `input` on stdin; returns stdout, failing the test on a non-zero exit.
    static func run(_ script: String, input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try interpreter())
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python failed: \(String(decoding: errors, as: UTF8.self))")
        return output
    }
}
