import Foundation

/// Where secrets come from: environment variables named by `*_env` keys, or files named by `*_file` keys.
public struct SecretSource {
    var environment: [String: String]
    /// The folder of the configuration file: relative `*_file` paths start there.
    var baseDirectory: URL

    /// Reads the secret `name` of `section` (`name_env` with a default variable, or `name_file`). When `required`
    /// and missing, records a problem naming the key and returns nil.
    func read(_ name: String, in section: ConfigSection, defaultEnv: String, required: Bool, what: String) -> String? {
        let envName = section.string("\(name)_env", default: defaultEnv)
        let file = section.string("\(name)_file", default: "")
        if !file.isEmpty {
            let url = ConfigPaths.resolve(file, relativeTo: baseDirectory)
            if let mode = Self.mode(of: url.path), mode & 0o077 != 0 {
                section.problems.add("\(section.keyPath("\(name)_file")): \(url.path) is accessible by group or others "
                    + "(mode \(String(format: "%04o", mode))); a file holding \(what) must be private: chmod 600 \(url.path)")
                return nil
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                section.problems.add("\(section.keyPath("\(name)_file")): cannot read \(url.path) (expected a file holding \(what))")
                return nil
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty && required {
                section.problems.add("\(section.keyPath("\(name)_file")): \(url.path) is empty (expected \(what))")
                return nil
            }
            return value
        }
        if envName.isEmpty {
            if required { section.problems.add("\(section.keyPath("\(name)_env")): empty (expected the name of an environment variable holding \(what))") }
            return nil
        }
        let value = environment[envName]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if value.isEmpty {
            if required {
                section.problems.add("\(section.keyPath("\(name)_env")): environment variable \(envName) is not set (expected \(what))")
            }
            return nil
        }
        return value
    }

    /// The permission bits of the file `path` leads to (symbolic links followed), or nil when there is none.
    static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }
}

public enum ConfigPaths {
    /// Expands `~` and makes relative paths relative to `base`.
    public static func resolve(_ path: String, relativeTo base: URL) -> URL {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            expanded = home + expanded.dropFirst()
        }
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return base.appendingPathComponent(expanded).standardizedFileURL
    }
}
