@testable import DiscordPlatform
import Testing

/// What the session state machine does after each way a connection ends (close codes as documented in
/// https://discord.com/developers/docs/topics/opcodes-and-status-codes, "Gateway Close Event Codes").
@Suite("Discord Gateway session")
struct DiscordGatewaySessionTests {
    static func established() -> DiscordGatewaySession {
        var session = DiscordGatewaySession()
        session.sessionID = "abc"
        session.resumeURL = "wss://resume.example.invalid"
        session.saw(sequence: 7)
        return session
    }

    @Test func resumableEndingsResume() {
        for ending: DiscordGatewaySession.Ending in [.missedACK, .reconnectRequested, .closed(nil), .closed(4000),
                                                     .closed(4008)] {
            var session = Self.established()
            guard case .resume = session.next(after: ending, retry: .seconds(1), tokenSource: "T") else {
                Issue.record("\(ending) should resume")
                continue
            }
            #expect(session.sequence == 7)
        }
    }

    @Test func endingsThatNeedANewSessionIdentify() {
        for ending: DiscordGatewaySession.Ending in [.invalidSession(resumable: false), .closed(4007), .closed(4009),
                                                     .closed(1000)] {
            var session = Self.established()
            guard case .identify = session.next(after: ending, retry: .seconds(1), tokenSource: "T") else {
                Issue.record("\(ending) should identify")
                continue
            }
            #expect(session.sessionID == nil)
            #expect(session.sequence == nil)
        }
    }

    @Test func invalidSessionWaitsOneToFiveSeconds() {
        var session = Self.established()
        guard case .resume(let wait) = session.next(after: .invalidSession(resumable: true), retry: .zero,
                                                    tokenSource: "T") else {
            Issue.record("a resumable invalid session resumes")
            return
        }
        #expect(wait >= .seconds(1) && wait <= .seconds(5))
    }

    @Test func fatalCloseCodesStop() {
        for code in [4004, 4010, 4011, 4012, 4013, 4014] {
            var session = Self.established()
            guard case .stop(let message) = session.next(after: .closed(code), retry: .zero, tokenSource: "T") else {
                Issue.record("\(code) should stop")
                continue
            }
            #expect(message.contains("\(code)"))
        }
    }

    @Test func openingResumesWithTheLastSequence() {
        let (payload, resuming) = Self.established().opening(token: "tok", intents: .derived(messageContent: false))
        #expect(resuming)
        #expect(payload.contains("\"op\":6"))
        #expect(payload.contains("\"seq\":7"))
        let (identify, fresh) = DiscordGatewaySession().opening(token: "tok", intents: .derived(messageContent: true))
        #expect(!fresh)
        #expect(identify.contains("\"intents\":37377"))
    }
}
