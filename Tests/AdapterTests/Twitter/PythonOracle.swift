import Foundation
import Testing

/// Runs a Python snippet of the test oracles' venv (`REPLYTENSOR_PYTHON`, set by scripts/test.sh) with JSON on
/// stdin and JSON on stdout. A missing interpreter or oracle package is a test failure, never a skip.
enum PythonOracle {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ script: String, input: Data) throws -> Data {
        guard let python = ProcessInfo.processInfo.environment["REPLYTENSOR_PYTHON"], !python.isEmpty,
              FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "REPLYTENSOR_PYTHON is not set to the oracle venv's python (run scripts/setup.sh; scripts/test.sh sets it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scriptURL = folder.appendingPathComponent("oracle.py")
        let inputURL = folder.appendingPathComponent("input.json")
        let outputURL = folder.appendingPathComponent("output.json")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try input.write(to: inputURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptURL.path, inputURL.path, outputURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "oracle failed (\(process.terminationStatus)): \(stderr.suffix(2000))")
        }
        return try Data(contentsOf: outputURL)
    }
}
