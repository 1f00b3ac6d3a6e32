import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import Synchronization
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing
import TwitterPlatform

/// Reading mentions: a 403 that is not about the app or its credentials does not stop the bot; a long post's
/// mention after its first 280 characters is seen.
@Suite("X: reading mentions", .serialized)
struct TwitterReadTests {
    @Test("a plain 403 on a read is an error the engine retries; X saying the app is not enrolled stops it")
    func forbiddenReads() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let adapter = TwitterTest.adapter(x)
        let start = try await adapter.poll(cursors: [:])
        try await Task.sleep(for: start.nextPollDelay)
        await x.refuseReads(.forbidden)
        let plain = await #expect(throws: BotError.self) { try await adapter.poll(cursors: start.cursorUpdates) }
        #expect(plain?.code != .platformStopped, "a plain 403 does not stop the adapter")
        #expect(plain?.httpStatus == 403)
        #expect(plain?.message.contains("Forbidden") == true)
        let next = try await adapter.poll(cursors: start.cursorUpdates)
        try await Task.sleep(for: next.nextPollDelay)
        await x.refuseReads(.clientNotEnrolled)
        let enrolled = await #expect(throws: BotError.self) { try await adapter.poll(cursors: start.cursorUpdates) }
        #expect(enrolled?.code == .platformStopped)
        #expect(enrolled?.message.contains("attached to a Project") == true)
    }

    @Test("the engine answers a mention after 403s on its reads and stops only on an authorisation 403")
    func engineKeepsPolling() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let store = InMemoryStore()
        var logger = Logger(label: "test.twitter.engine")
        logger.logLevel = .critical
        let adapter = TwitterTest.adapter(x, state: TwitterTestState())
        let stopped = StoppedPlatforms()
        let engine = Engine(
            configuration: EngineConfiguration(limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0,
                                                                    dailyReplies: 0),
                                               pollBackoff: (.milliseconds(100), .milliseconds(400))),
            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [], logger: logger,
            observer: { event in if case .adapterStopped(let platform, _) = event { stopped.add(platform) } })
        let running = Task { try await engine.run() }
        defer { engine.shutdown() }
        #expect(await x.wait(timeout: .seconds(10)) { await !$0.recorder.requests(path: "/mentions").isEmpty })
        await x.refuseReads(.forbidden, times: 3)
        let alice = await x.addUser(username: "alice")
        let mention = await x.post("@ReplyTensorBot still there?", from: alice)
        #expect(await x.wait(timeout: .seconds(20)) { await $0.replies(to: mention.id).count == 1 })
        #expect(stopped.platforms.isEmpty)
        await x.refuseReads(.clientNotEnrolled, times: 1)
        #expect(await Polling.wait(timeout: .seconds(20), every: .milliseconds(25)) { stopped.platforms == [.twitter] })
        engine.shutdown()
        _ = try? await running.value
        #expect(await x.replies(to: mention.id).count == 1)
    }

    @Test("a long post's mention after its first 280 characters is read from note_tweet")
    func longPost() async throws {
        let x = try await TwitterEmulator.start()
        defer { Task { await x.stop() } }
        await x.setRateLimit(.mentions, limit: 1000, windowSeconds: 900)
        let adapter = TwitterTest.adapter(x)
        let start = try await adapter.poll(cursors: [:])
        let alice = await x.addUser(username: "alice")
        await x.addUser(username: "bob")
        let filler = String(repeating: "Subnets reward miners for useful work. ", count: 9)
        let long = await x.post("@bob look: " + filler + "@ReplyTensorBot what is dTAO?", from: alice)
        try await Task.sleep(for: start.nextPollDelay)
        let page = try await adapter.poll(cursors: start.cursorUpdates)
        let message = try #require(page.messages.first { $0.id == long.id }, "the mention was not seen")
        #expect(message.text.hasSuffix("what is dTAO?"))
        // What X sends: the first 280 characters in `text` and `entities`, the whole post in `note_tweet`.
        let signer = OAuth1Signer(credentials: OAuth1Credentials(consumerKey: x.consumerKey, consumerSecret: x.consumerSecret,
                                                                 token: x.accessToken, tokenSecret: x.accessTokenSecret))
        let url = "\(x.apiBase)/2/tweets/\(long.id)?tweet.fields=entities,note_tweet"
        let response = try await TwitterTest.http().execute(HTTPRequest(url: url, headers: [
            "Authorization": signer.authorization(method: "GET", url: url, formBody: nil)]))
        let object = try #require((try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["data"]
            as? [String: Any])
        #expect((object["text"] as? String)?.contains("ReplyTensorBot") == false)
        #expect(((object["entities"] as? [String: Any])?["mentions"] as? [[String: Any]])?.count == 1)
        let note = try #require(object["note_tweet"] as? [String: Any])
        #expect(note["text"] as? String == long.text)
        #expect(((note["entities"] as? [String: Any])?["mentions"] as? [[String: Any]])?.count == 2)
    }
}

/// The platforms the engine reported stopped.
final class StoppedPlatforms: Sendable {
    private let storage = Mutex<[Platform]>([])
    func add(_ platform: Platform) { storage.withLock { $0.append(platform) } }
    var platforms: [Platform] { storage.withLock { $0 } }
}
