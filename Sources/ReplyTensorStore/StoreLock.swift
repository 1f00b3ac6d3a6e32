import Foundation
import Synchronization

/// One bot per SQLite store: `run` holds an exclusive `flock` on `<store>.lock` (mode 0600, the holder's pid written
/// in it) for its whole life. Two bots on one file would both resume `responding` mentions and both rotate X's
/// single-use refresh token. The kernel drops the lock when the process ends, even after `kill -9`; readers
/// (`status`, `check --offline`) never take it.
public final class StoreLock: Sendable {
    /// Why the lock was not taken.
    public enum Failure: Error, CustomStringConvertible {
        /// Another process holds it; `pid` is what that process wrote in the lock file, when readable.
        case held(store: String, pid: Int32?)
        /// The lock file cannot be created or locked (a read-only folder, a file system without locks).
        case unavailable(store: String, reason: String)

        public var description: String {
            switch self {
            case .held(let store, let pid):
                let who = pid.map { "another replytensor process (pid \($0))" } ?? "another replytensor process"
                return "the store \(store) is in use by \(who); one bot runs per store — stop it first, or give this "
                    + "bot its own bot.store"
            case .unavailable(let store, let reason):
                return "cannot lock the store \(store): \(reason)"
            }
        }
    }

    public let store: String
    public var path: String { StoreFiles.lockPath(of: store) }
    private let descriptor: Mutex<Int32?>

    private init(store: String, descriptor: Int32) {
        self.store = store
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock for this process or throws at once (never waits) naming the holder's pid.
    public static func acquire(store: String) throws(Failure) -> StoreLock {
        do { try StoreFiles.prepare(store) } catch {
            throw .unavailable(store: store, reason: "\(error)")
        }
        let path = StoreFiles.lockPath(of: store)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, StoreFiles.privateMode)
        guard descriptor >= 0 else { throw .unavailable(store: store, reason: "\(path): \(Self.lastError)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = Self.lastError
            let pid = busy ? holder(descriptor) : nil
            close(descriptor)
            throw busy ? .held(store: store, pid: pid) : .unavailable(store: store, reason: "\(path): \(reason)")
        }
        _ = fchmod(descriptor, StoreFiles.privateMode)
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, text, text.count, 0) == text.count else {
            let reason = Self.lastError
            close(descriptor)
            throw .unavailable(store: store, reason: "cannot write the pid into \(path): \(reason)")
        }
        return StoreLock(store: store, descriptor: descriptor)
    }

    /// Gives the lock up (also done when the process ends).
    public func release() {
        descriptor.withLock { value in
            guard let open = value else { return }
            flock(open, LOCK_UN)
            close(open)
            value = nil
        }
    }

    deinit { release() }

    /// The pid the holder wrote; it writes right after locking, so an empty file is read again a few times.
    private static func holder(_ descriptor: Int32) -> Int32? {
        for attempt in 0..<10 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
            if let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 { return pid }
            if attempt < 9 { usleep(20_000) }
        }
        return nil
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
