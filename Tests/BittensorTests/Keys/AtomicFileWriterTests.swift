import Foundation
import Testing
@testable import Bittensor

@Suite struct AtomicFileWriterTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func createsAPrivateFileAndLeavesNoTemporaryBehind() throws {
        let folder = try folder()
        let path = folder.appendingPathComponent("hk").path
        try AtomicFileWriter.write(Array("secret".utf8), to: path, replacing: false)
        #expect(contents(path) == "secret")
        #expect(mode(path) == 0o600)
        #expect(try entries(folder) == ["hk"])
    }

    @Test func refusesToReplaceWithoutPermissionAndKeepsTheOldFile() throws {
        let folder = try folder()
        let path = folder.appendingPathComponent("hk").path
        try AtomicFileWriter.write(Array("first".utf8), to: path, replacing: false)
        let error = #expect(throws: KeyError.self) {
            try AtomicFileWriter.write(Array("second".utf8), to: path, replacing: false)
        }
        #expect(error?.description.contains("already exists") == true)
        #expect(contents(path) == "first")
        #expect(try entries(folder) == ["hk"])
    }

    @Test func replacesAReadableFileWithAPrivateOne() throws {
        let folder = try folder()
        let path = folder.appendingPathComponent("hk").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try AtomicFileWriter.write(Array("new".utf8), to: path, replacing: true)
        #expect(contents(path) == "new")
        #expect(mode(path) == 0o600)
        #expect(try entries(folder) == ["hk"])
    }

    @Test func aMissingFolderIsAClearError() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rt-missing-\(UUID().uuidString)/hk").path
        let error = #expect(throws: KeyError.self) { try AtomicFileWriter.write([1], to: path, replacing: true) }
        #expect(error?.description.contains("cannot create a file in") == true)
    }

    @Test func hotkeyOverwriteKeepsBothFilesPrivate() throws {
        let location = WalletLocation(path: try folder().path, wallet: "bot", hotkey: "hk", environment: [:])
        let keypair = try Sr25519Keypair(miniSecret: [UInt8](repeating: 3, count: 32))
        try HotkeyFile.write(location, keypair: keypair, miniSecret: [UInt8](repeating: 3, count: 32), mnemonic: nil,
                             password: nil, overwrite: false)
        let other = try Sr25519Keypair(miniSecret: [UInt8](repeating: 4, count: 32))
        try HotkeyFile.write(location, keypair: other, miniSecret: [UInt8](repeating: 4, count: 32), mnemonic: nil,
                             password: nil, overwrite: true)
        #expect(try HotkeyFile.load(location, password: nil).keypair.publicKey == other.publicKey)
        #expect(mode(location.hotkeyFile) == 0o600 && mode(location.hotkeyPublicFile) == 0o600)
        let hotkeys = URL(fileURLWithPath: location.hotkeysFolder)
        #expect(mode(hotkeys.path) == 0o700)
        #expect(try entries(hotkeys).allSatisfy { !$0.hasPrefix(".") }, "no temporary file is left")
    }
}
