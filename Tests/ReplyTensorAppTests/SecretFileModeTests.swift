import Foundation
import ReplyTensorApp
import ReplyTensorCore
import Testing

@Suite("Secret files must be private")
struct SecretFileModeTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func problems(_ text: String, in folder: URL) -> [String] {
        do {
            _ = try ReplyTensorConfiguration.parse(text, source: folder.appendingPathComponent("replytensor.toml"),
                                                   environment: [:])
            return []
        } catch let error as ConfigurationError {
            return error.problems
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    @Test("a *_file secret readable by group or others is refused, naming the key, the mode and the fix")
    func readableSecretFilesAreRefused() throws {
        let folder = try Self.folder()
        let key = folder.appendingPathComponent("gateway.key").path
        let token = folder.appendingPathComponent("telegram.token").path
        try "sk-from-file\n".write(toFile: key, atomically: false, encoding: .utf8)
        try "123:from-file\n".write(toFile: token, atomically: false, encoding: .utf8)
        #expect(chmod(key, 0o644) == 0 && chmod(token, 0o640) == 0)
        let text = """
            [responder]
            order = ["gateway"]
            [responder.gateway]
            base_url = "https://gateway.example/v1"
            api_key_file = "gateway.key"
            [telegram]
            enabled = true
            token_file = "telegram.token"
            """
        let problems = Self.problems(text, in: folder)
        #expect(problems.contains { $0.hasPrefix("responder.gateway.api_key_file: \(key) is accessible by group or others (mode 0644)") })
        #expect(problems.contains { $0.hasPrefix("telegram.token_file: \(token) is accessible by group or others (mode 0640)") })
        #expect(problems.allSatisfy { $0.contains("chmod 600") })
        #expect(!problems.joined().contains("sk-from-file") && !problems.joined().contains("123:from-file"))
        #expect(chmod(key, 0o600) == 0 && chmod(token, 0o400) == 0)
        #expect(Self.problems(text, in: folder).isEmpty)
    }
}
