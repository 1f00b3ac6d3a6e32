import Foundation

/// Resident memory and open file descriptors of this process, read from /proc (Linux).
public struct ProcessSample: Sendable {
    public var residentBytes: Int
    var openFileDescriptors: Int

    public static func current() -> ProcessSample {
        ProcessSample(residentBytes: residentBytes(), openFileDescriptors: openFileDescriptors())
    }

    /// Current RSS of this process, or of the process `pid`, from /proc/…/statm (second field, in pages); 0 when
    /// unreadable.
    public static func residentBytes(pid: Int32? = nil) -> Int {
        let path = pid.map { "/proc/\($0)/statm" } ?? "/proc/self/statm"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
