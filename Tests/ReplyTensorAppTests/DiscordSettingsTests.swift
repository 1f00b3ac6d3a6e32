import Foundation
import ReplyTensorApp
import ReplyTensorCore
import Testing

/// `[discord] nonce_resend_seconds`: read, defaulted and kept within the few minutes Discord remembers a nonce.
@Suite("Discord settings")
struct DiscordSettingsTests {
    @Test("nonce_resend_seconds defaults to 120, is read, and refuses more than Discord's few minutes")
    func nonceResendSeconds() throws {
        let defaults = try Fixtures.parse(PlatformSectionTests.gateway + "[discord]\nguilds = []\n")
        #expect(defaults.discord.nonceResendWindow == .seconds(120))
        let set = try Fixtures.parse(PlatformSectionTests.gateway + "[discord]\nnonce_resend_seconds = 45\n")
        #expect(set.discord.nonceResendWindow == .seconds(45))
        let problems = Fixtures.problems(PlatformSectionTests.gateway + "[discord]\nnonce_resend_seconds = 600\n")
        #expect(problems == ["discord.nonce_resend_seconds: expected an integer in 0…300, found 600"])
    }
}
