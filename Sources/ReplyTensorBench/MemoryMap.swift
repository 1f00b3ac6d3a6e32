import Foundation

/// What a process's resident memory is made of, from /proc/PID/smaps_rollup and /proc/PID/smaps (Linux; see
/// proc(5)): the rollup's totals, and the mappings holding the most resident memory.
struct MemoryMap {
    let pid: Int32

    /// `Rss`, `Pss`, `Pss_Anon`, `Pss_File`, `Pss_Shmem`, `Private_Dirty` and `Swap` of smaps_rollup, in MiB.
    func rollup() -> [String: Double] {
        guard let text = ProcessProbe.read("/proc/\(pid)/smaps_rollup") else { return [:] }
        let wanted: Set<String> = ["Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "Private_Dirty", "Swap"]
        var fields: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            if let (name, kib) = Self.field(line), wanted.contains(name) { fields[name + "_mib"] = Double(kib) / 1024 }
        }
        return fields
    }

    /// One mapping of smaps: its address range, permissions, path (or `[heap]`, `[stack]`, `[anon]`) and sizes.
    struct Mapping {
        var range: String
        var permissions: String
        var name: String
        var sizeKiB = 0
        var rssKiB = 0
        var fields: [String: Any] {
            ["mapping": name, "range": range, "perms": permissions, "rss_kib": rssKiB, "size_kib": sizeKiB]
        }
    }

    /// The `count` mappings with the largest `Rss`.
    func topMappings(_ count: Int) -> [Mapping] {
        guard let text = ProcessProbe.read("/proc/\(pid)/smaps") else { return [] }
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            if let (name, kib) = Self.field(line) {
                if name == "Rss" { mappings[mappings.count - 1].rssKiB = kib }
                if name == "Size" { mappings[mappings.count - 1].sizeKiB = kib }
            } else if let mapping = Self.header(line) {
                mappings.append(mapping)
            }
        }
        return Array(mappings.sorted { $0.rssKiB > $1.rssKiB }.prefix(count))
    }

    /// `Name:   123 kB` as (Name, 123); nil for a mapping header or `VmFlags`.
    private static func field(_ line: Substring) -> (String, Int)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0].hasSuffix(":"), parts[2] == "kB", let kib = Int(parts[1]) else { return nil }
        return (String(parts[0].dropLast()), kib)
    }

    /// `start-end perms offset dev inode [path]`.
    private static func header(_ line: Substring) -> Mapping? {
        let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard parts.count >= 5, parts[0].contains("-"), !parts[0].hasSuffix(":") else { return nil }
        let path = parts.count == 6 ? parts[5].trimmingCharacters(in: .whitespaces) : ""
        return Mapping(range: String(parts[0]), permissions: String(parts[1]), name: path.isEmpty ? "[anon]" : path)
    }
}
