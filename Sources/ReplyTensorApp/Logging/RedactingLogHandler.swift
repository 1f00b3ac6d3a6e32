import Foundation
import Logging
import Synchronization

/// Writes log lines to stderr as text or one JSON object per line, with every known secret redacted
/// (including inside URLs and metadata) and, in text, every control character escaped.
public struct RedactingLogHandler: LogHandler {
    public enum Format: Sendable { case text, json }

    let label: String
    let format: Format
    let secrets: [String]
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let output: LogOutput

    public init(label: String, format: Format, secrets: [String], logLevel: Logger.Level, output: LogOutput) {
        self.label = label
        self.format = format
        self.secrets = secrets
        self.logLevel = logLevel
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let message = redact("\(event.message)")
        let fields = merged.map { (key: $0.key, value: redact(Self.flatten($0.value))) }.sorted { $0.key < $1.key }
        let timestamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        let line: String
        switch format {
        case .text:
            // Values come from input (names, ids, texts): escaped, so one event is always one line (JSON escapes too).
            let meta = fields.map { "\(LogLineEscaping.escaped($0.key))=\(LogLineEscaping.escaped($0.value))" }
                .joined(separator: " ")
            line = "\(timestamp) \(event.level.rawValue.uppercased()) \(LogLineEscaping.escaped(label)): "
                + LogLineEscaping.escaped(message) + (meta.isEmpty ? "" : " " + meta)
        case .json:
            var object: [String: String] = ["timestamp": timestamp, "level": event.level.rawValue, "message": message,
                                            "label": label]
            for field in fields { object[field.key] = field.value }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        output.write(line)
    }

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty { result = result.replacingOccurrences(of: secret, with: "<redacted>") }
        return result
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let items): return "[" + items.map(flatten).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(flatten($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}

/// Where log lines go: stderr, or a buffer in tests.
public final class LogOutput: Sendable {
    private let lines = Mutex<[String]>([])
    private let toStandardError: Bool

    public init(toStandardError: Bool = true) { self.toStandardError = toStandardError }

    func write(_ line: String) {
        if toStandardError {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            lines.withLock { $0.append(line) }
        }
    }

    public var captured: [String] { lines.withLock { $0 } }
}

/// Bootstraps swift-log once per process from `[log]`.
public enum LoggingSetup {
    private static let done = Mutex(false)

    public static func bootstrap(_ log: ReplyTensorConfiguration.Log, secrets: [String]) {
        let alreadyDone = done.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !alreadyDone else { return }
        let level = Logger.Level(rawValue: log.level) ?? .info
        let format: RedactingLogHandler.Format = log.format == "json" ? .json : .text
        let output = LogOutput()
        LoggingSystem.bootstrap { label in
            RedactingLogHandler(label: label, format: format, secrets: secrets, logLevel: level, output: output)
        }
    }
}
