import Foundation

/// Runs the test oracles' Python: `$REPLYTENSOR_PYTHON` (scripts/test.sh sets it to the oracle virtual environment),
/// else the package's own `.venv/bin/python`. A missing interpreter, or an oracle that fails, throws: a failing
/// test, never a skipped one.
public enum PythonOracle {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The package's root folder (for `.venv` and the oracle scripts in it).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The interpreter's path.
    public static func interpreter() throws -> String {
        if let path = ProcessInfo.processInfo.environment["REPLYTENSOR_PYTHON"], !path.isEmpty,
           FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let local = packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: local) else {
            throw Failure("REPLYTENSOR_PYTHON is not set to the oracle virtual environment's python "
                          + "(run scripts/setup.sh; scripts/test.sh sets it)")
        }
        return local
    }

    /// Runs `python ARGUMENTS` with `input` on standard input and returns its standard output. A non-zero exit
    /// throws with the end of its standard error.
    public static func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws
        -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files rather than pipes: no size of input, output or error text can block either side.
        let files = ["stdin", "stdout", "stderr"].map { folder.appendingPathComponent($0) }
        try input.write(to: files[0])
        for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try interpreter())
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: files[2], encoding: .utf8)) ?? ""
            throw Failure("python \(arguments.first ?? "") failed (\(process.terminationStatus)): \(errors.suffix(2000))")
        }
        return try Data(contentsOf: files[1])
    }

    /// Runs `script` (`python -c`) with `input` on standard input; its standard output.
    public static func run(script: String, input: Data) throws -> Data {
        try run(["-c", script], input: input)
    }

    /// Runs `python ARGUMENTS` with `request` as JSON on standard input; the answer is the last line of standard
    /// output (libraries may print progress before it), a JSON object.
    public static func request(_ arguments: [String], _ request: [String: Any]) throws -> [String: Any] {
        let output = try run(arguments, input: try JSONSerialization.data(withJSONObject: request))
        let lastLine = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let object = (try? JSONSerialization.jsonObject(with: Data(lastLine.utf8))) as? [String: Any] else {
            throw Failure("python \(arguments.first ?? "") gave no JSON answer: \(lastLine.suffix(500))")
        }
        return object
    }

    /// Starts a long-running oracle (`python ARGUMENTS`, standard input piped: closing it stops the oracle) that
    /// announces itself with a JSON object on its first line (e.g. a server's port and key).
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (process: ChildProcess, announcement: [String: Any]) {
        let child = ChildProcess(executable: URL(fileURLWithPath: try interpreter()), arguments: arguments,
                                 environment: environment, input: .pipe, output: .pipe)
        try child.start()
        let object = try child.announcement()
        return (child, object)
    }
}
