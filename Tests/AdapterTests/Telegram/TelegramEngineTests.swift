import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import Testing
import TelegramPlatform

/// The engine with the Telegram adapter against the emulator: every mention answered once, inside the limits.
@Suite("Telegram engine")
struct TelegramEngineTests {
    @Test func mentionsInSeveralChatsAreAnsweredOnceWithoutViolations() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let users = [await emulator.addUser(username: "ann"), await emulator.addUser(username: "bob"),
                     await emulator.addUser(username: "cy")]
        let group = await emulator.addGroup(title: "Team", supergroup: true)
        let store = InMemoryStore()
        var logger = Logger(label: "test.telegram.engine")
        logger.logLevel = .critical
        let adapter = TelegramAdapter(
            configuration: TelegramConfiguration(token: emulator.token, apiBase: emulator.apiBase, pollTimeoutSeconds: 1),
            environment: AdapterEnvironment(http: TelegramTest.http(), state: store, logger: logger))
        let engine = Engine(
            configuration: EngineConfiguration(contextDepth: 2,
                                               limits: PolicyLimits(perUserPerHour: 0, perChatPerMinute: 0, dailyReplies: 0)),
            store: store, adapters: [adapter], responder: InMemoryResponder.echo(), plugins: [], logger: logger)
        let running = Task { try await engine.run() }

        var mentions: [TelegramEmulator.Message] = []
        for (index, user) in users.enumerated() {
            mentions.append(try await emulator.inject(text: "@ReplyTensorBot question \(index)", from: user, in: group))
            mentions.append(try await emulator.inject(text: "private question \(index)", from: user))
            try await emulator.inject(text: "not for the bot \(index)", from: user, in: group)
        }
        #expect(await emulator.waitForSent(count: mentions.count, timeout: .seconds(20)))
        try await Task.sleep(for: .milliseconds(300))
        engine.shutdown()
        _ = try? await running.value

        let sent = await emulator.sent
        #expect(sent.count == mentions.count)
        for mention in mentions {
            #expect(await emulator.replies(to: mention).count == 1)
        }
        #expect(await emulator.violations.total == 0)
        #expect(sent.allSatisfy { $0.allowSendingWithoutReply == true && $0.parseMode == nil })
        #expect(await store.cursors(for: .telegram)["offset"] != nil)
    }
}
