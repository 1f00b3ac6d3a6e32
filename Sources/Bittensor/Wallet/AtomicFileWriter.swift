import Foundation

/// Writes a file that holds a secret so that it is never readable by others nor visible half-written, even after a
/// crash: a temporary file in the same folder created with `O_CREAT | O_EXCL` and mode 0600 from the first moment,
/// written and fsynced, then renamed onto the target (or hard-linked, when an existing file must not be replaced —
/// an atomic "create if absent"), and the folder fsynced so the new name survives a power loss.
enum AtomicFileWriter {
    static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let temporary = folder + "/." + target.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(0o600))
        guard descriptor >= 0 else { throw failure("cannot create a file in \(folder)") }
        do {
            defer { close(descriptor) }
            try writeAll(bytes, to: descriptor)
            guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary) to disk") }
        } catch {
            unlink(temporary)
            throw error
        }
        do {
            if replacing {
                guard rename(temporary, path) == 0 else { throw failure("cannot move the new file to \(path)") }
            } else {
                guard link(temporary, path) == 0 else {
                    throw errno == EEXIST ? KeyError("\(path) already exists (use --overwrite to replace it)")
                        : failure("cannot create \(path)")
                }
                unlink(temporary)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("cannot write the key file") }
            offset += count
        }
    }

    /// Makes the folder's new entry durable.
    private static func syncFolder(_ folder: String) throws {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open \(folder)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot flush \(folder) to disk") }
    }

    private static func failure(_ what: String) -> KeyError {
        KeyError("\(what): \(String(cString: strerror(errno)))")
    }
}
