import Foundation
import Testing
@testable import Bittensor

/// The vectors file copied from the shared references into the test bundle.
enum Fixtures {
    static var vectors: [String: Any] {
        guard let url = Bundle.module.url(forResource: "bittensor", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static func array(_ key: String) -> [[String: Any]] { vectors[key] as? [[String: Any]] ?? [] }
    static func bytes(_ text: Any?) -> [UInt8] { Hex.decode(text as? String ?? "") ?? [] }
}

/// Runs the python oracles of Tests/BittensorTests/Oracles with `REPLYTENSOR_PYTHON`. A missing interpreter is a
/// test failure, never a skip.
enum PythonOracle {
    static var oraclesFolder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Oracles") }

    static func python() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["REPLYTENSOR_PYTHON"], !python.isEmpty,
              FileManager.default.isExecutableFile(atPath: python) else {
            throw OracleError("REPLYTENSOR_PYTHON is not set to an executable python with the oracles "
                + "(run scripts/setup.sh; scripts/test.sh sets it)")
        }
        return python
    }

    /// Runs `script` with a JSON request on stdin and returns its JSON answer.
    static func run(_ script: String, _ request: [String: Any], arguments: [String] = []) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python())
        process.arguments = [oraclesFolder.appendingPathComponent(script).path] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Libraries print progress ("Encrypting...") on stdout: the answer is the last line.
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard process.terminationStatus == 0,
              let object = (try? JSONSerialization.jsonObject(with: Data(lastLine.utf8))) as? [String: Any] else {
            throw OracleError("\(script) failed (\(process.terminationStatus)): \(errorText.suffix(2000))")
        }
        return object
    }
}

struct OracleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
