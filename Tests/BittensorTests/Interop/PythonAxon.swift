import Foundation
import ReplyTensorTestSupport
@testable import Bittensor

/// A real bittensor 10.5.0 Axon (Oracles/axon_oracle.py) on 127.0.0.1, stopped by closing its stdin.
final class PythonAxon: Sendable {
    let process: ChildProcess
    let port: Int
    let hotkey: String

    private init(process: ChildProcess, port: Int, hotkey: String) {
        self.process = process
        self.port = port
        self.hotkey = hotkey
    }

    var target: AxonTarget { AxonTarget(host: "127.0.0.1", port: port, hotkey: hotkey) }

    static func start(seed: [UInt8], blacklistExcept: String? = nil) throws -> PythonAxon {
        var arguments = [PythonOracle.oraclesFolder.appendingPathComponent("axon_oracle.py").path, Hex.encode(seed)]
        if let blacklistExcept { arguments += ["--blacklist-except", blacklistExcept] }
        // The first line is {"port": P, "hotkey": SS58}.
        let (process, announcement) = try PythonOracle.start(arguments, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        guard let port = announcement["port"] as? Int, let hotkey = announcement["hotkey"] as? String else {
            process.signal(SIGTERM)
            throw PythonOracle.Failure("the python axon did not start: \(announcement)")
        }
        return PythonAxon(process: process, port: port, hotkey: hotkey)
    }

    func stop() {
        process.closeInput()
        process.signal(SIGTERM)
        process.waitUntilExit()
    }
}
