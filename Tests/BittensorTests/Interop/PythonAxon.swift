import Foundation
@testable import Bittensor

/// A real bittensor 10.5.0 Axon (Oracles/axon_oracle.py) on 127.0.0.1, stopped by closing its stdin.
final class PythonAxon: @unchecked Sendable {
    // @unchecked: the process and pipe are only touched by start/stop, which the owning test calls in sequence.
    let process: Process
    let input: Pipe
    let port: Int
    let hotkey: String

    private init(process: Process, input: Pipe, port: Int, hotkey: String) {
        self.process = process
        self.input = input
        self.port = port
        self.hotkey = hotkey
    }

    var target: AxonTarget { AxonTarget(host: "127.0.0.1", port: port, hotkey: hotkey) }

    static func start(seed: [UInt8], blacklistExcept: String? = nil) throws -> PythonAxon {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try PythonOracle.python())
        var arguments = [PythonOracle.oraclesFolder.appendingPathComponent("axon_oracle.py").path, Hex.encode(seed)]
        if let blacklistExcept { arguments += ["--blacklist-except", blacklistExcept] }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is {"port": P, "hotkey": SS58}.
        var line = Data()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
              let port = object["port"] as? Int, let hotkey = object["hotkey"] as? String else {
            process.terminate()
            throw OracleError("the python axon did not start: \(String(decoding: line, as: UTF8.self))")
        }
        return PythonAxon(process: process, input: input, port: port, hotkey: hotkey)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
