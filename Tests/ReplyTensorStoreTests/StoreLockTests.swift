import Foundation
@testable import ReplyTensorStore
import ReplyTensorCore
import Testing

@Suite("One bot per store: the store lock", .serialized)
struct StoreLockTests {
    @Test("a second lock on the same store fails at once naming the store and the holder's pid; release frees it")
    func oneHolder() throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("bot.sqlite").path
        let first = try StoreLock.acquire(store: path)
        let written = try String(contentsOfFile: path + ".lock", encoding: .utf8)
        #expect(written == "\(getpid())\n")
        // flock conflicts between open file descriptions, so a second acquire in this process stands for a second bot.
        do {
            _ = try StoreLock.acquire(store: path)
            Issue.record("a second lock on \(path) was granted")
        } catch {
            guard case .held(let store, let pid) = error else {
                Issue.record("unexpected failure: \(error)")
                return
            }
            #expect(store == path && pid == getpid())
            #expect(error.description.contains(path) && error.description.contains("pid \(getpid())"))
        }
        first.release()
        let second = try StoreLock.acquire(store: path)
        second.release()
    }

    @Test("a lock that cannot be created is a clear failure, not a crash")
    func unavailableLock() throws {
        // The store's folder is a regular file: nothing can be created below it (not even by root).
        let notAFolder = try TemporaryDirectory.make().appendingPathComponent("file")
        try Data("x".utf8).write(to: notAFolder)
        let path = notAFolder.appendingPathComponent("bot.sqlite").path
        do {
            _ = try StoreLock.acquire(store: path)
            Issue.record("a lock below a regular file was granted")
        } catch {
            guard case .unavailable(let store, _) = error else {
                Issue.record("unexpected failure: \(error)")
                return
            }
            #expect(store == path && error.description.hasPrefix("cannot lock the store \(path)"))
        }
    }
}
