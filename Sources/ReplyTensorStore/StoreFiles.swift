import Foundation
import ReplyTensorCore

/// The files of a SQLite store (`bot.sqlite`, `-wal`, `-shm`, `.lock`) hold DMs and the X refresh token: they are
/// created 0600 (SQLite gives `-wal` and `-shm` the mode of the database file) in a folder created 0700, and a store
/// that group or others can read is reported.
public enum StoreFiles {
    /// The owner may read and write; nobody else may do anything.
    public static let privateMode: mode_t = 0o600

    /// The store's files that exist or may come to exist, the database first.
    public static func companions(of store: String) -> [String] {
        [store, store + "-wal", store + "-shm", lockPath(of: store)]
    }

    /// `<store>.lock`: where the running bot's pid is written and locked.
    public static func lockPath(of store: String) -> String { store + ".lock" }

    /// Creates the store's folder (0700 when it is new) and, when absent, an empty database file with mode 0600 —
    /// before SQLite opens it, so no byte of data is ever written to a file others could read.
    public static func prepare(_ store: String) throws {
        let folder = URL(fileURLWithPath: store).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(store, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, privateMode)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw BotError(.storage, "cannot create the store file \(store): \(String(cString: strerror(errno)))")
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// One warning per store file that group or others may access (nothing when every file is private).
    public static func exposureWarnings(of store: String) -> [String] {
        companions(of: store).compactMap { path in
            guard let mode = mode(of: path), mode & 0o077 != 0 else { return nil }
            return "\(path) is accessible by group or others (mode \(String(format: "%04o", mode))); it holds DMs and "
                + "tokens: chmod 600 \(path)"
        }
    }
}

