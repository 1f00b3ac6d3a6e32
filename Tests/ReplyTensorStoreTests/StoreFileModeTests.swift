import Foundation
@testable import ReplyTensorStore
import ReplyTensorCore
import Testing

@Suite("Store files are private")
struct StoreFileModeTests {
    @Test("the store, its -wal and -shm files and the lock are created 0600 (the usual umask 022 would give 0644)")
    func privateModes() async throws {
        let folder = try TemporaryDirectory.make().appendingPathComponent("new-folder")
        let path = folder.appendingPathComponent("bot.sqlite").path
        let lock = try StoreLock.acquire(store: path)
        defer { lock.release() }
        let store = try SQLiteStore(path: path)
        _ = try await store.admit([message("1")], at: Date())
        try await store.saveToken("x.refresh", value: "token", at: Date())
        for file in [path, path + "-wal", path + "-shm", path + ".lock"] {
            #expect(StoreFiles.mode(of: file) == 0o600, "\(file)")
        }
        #expect(StoreFiles.mode(of: folder.path) == 0o700)
        #expect(StoreFiles.exposureWarnings(of: path).isEmpty)
        try store.close()
    }

    @Test("a store others can read is reported, naming the file, its mode and the fix")
    func exposedStoreIsReported() async throws {
        let path = try TemporaryDirectory.make().appendingPathComponent("bot.sqlite").path
        _ = try SQLiteStore(path: path)
        #expect(chmod(path, 0o644) == 0)
        let warnings = StoreFiles.exposureWarnings(of: path)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("\(path) is accessible by group or others (mode 0644)") == true)
        #expect(warnings.first?.contains("chmod 600 \(path)") == true)
    }
}
