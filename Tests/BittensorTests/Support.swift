import Foundation
import ReplyTensorTestSupport
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

/// The python oracles of Tests/BittensorTests/Oracles, run by the shared runner with `REPLYTENSOR_PYTHON`. A missing
/// interpreter is a test failure, never a skip.
extension PythonOracle {
    static var oraclesFolder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Oracles") }

    /// Runs `script` with a JSON request on stdin and returns its JSON answer.
    static func run(_ script: String, _ request: [String: Any], arguments: [String] = []) throws -> [String: Any] {
        try PythonOracle.request([oraclesFolder.appendingPathComponent(script).path] + arguments, request)
    }
}
