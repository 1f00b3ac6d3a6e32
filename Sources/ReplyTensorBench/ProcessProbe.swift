import Foundation

/// Reads a child process's memory and CPU time from /proc (Linux).
struct ProcessProbe {
    let pid: Int32

    /// Peak resident set size (VmHWM) in bytes.
    var peakResidentBytes: Int { statusField("VmHWM") }

    /// Resident set size now (VmRSS) in bytes.
    var residentBytes: Int { statusField("VmRSS") }

    /// User + system CPU time in seconds.
    var cpuSeconds: Double {
        guard let text = Self.read("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after "comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private func statusField(_ name: String) -> Int {
        guard let text = Self.read("/proc/\(pid)/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let number = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return number * 1024
        }
        return 0
    }

    /// Whether the process has the Swift runtime as a shared library mapped (a build without `--static-swift-stdlib`):
    /// its pages then count in RSS and are shared with other Swift processes.
    var swiftStdlib: String {
        (Self.read("/proc/\(pid)/maps") ?? "").contains("libswiftCore.so") ? "dynamic" : "static"
    }

    /// A /proc file read to its end (procfs files report size 0, so a single read of their "size" gets too little).
    static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).map { String(decoding: $0, as: UTF8.self) }
    }
}
