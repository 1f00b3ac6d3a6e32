import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// The emulator's `getUpdates` behaves like the Bot API server's (tdlib/telegram-bot-api): per-server random ids, a
/// reset to new ids, offsets "in the future" answered from the head without confirming anything, a repeated offset
/// within 0.5 s answered with `limit = 1`, and forum-topic messages implicitly replying to the topic's first message.
@Suite("Telegram Bot API server rules")
struct TelegramBotAPIServerTests {
    static func updateIDs(_ emulator: TelegramEmulator, offset: Int64?, limit: Int = 100) async throws -> [Int64] {
        var body = "{\"timeout\":0,\"limit\":\(limit)"
        if let offset { body += ",\"offset\":\(offset)" }
        let answer = try await TelegramEmulatorTests.call(emulator, "getUpdates", body: body + "}")
        let result = try #require(answer.json["result"] as? [[String: Any]])
        return result.compactMap { ($0["update_id"] as? NSNumber)?.int64Value }
    }

    @Test func idsArePerServerAndAFutureOffsetIsAnsweredFromTheHead() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let first = await emulator.nextUpdateID
        #expect((2_000_001..<1_000_000_000).contains(first))
        let ann = await emulator.addUser(username: "ann")
        try await emulator.inject(text: "one", from: ann)
        try await emulator.inject(text: "two", from: ann)

        // An offset far ahead of the queue: both updates, nothing confirmed; asked again at once: one update only.
        let future = first + 5_000
        #expect(try await Self.updateIDs(emulator, offset: future) == [first, first + 1])
        #expect(try await Self.updateIDs(emulator, offset: future) == [first])
        #expect(await emulator.pendingUpdateCount == 2)
        // An offset from the updates received confirms them.
        #expect(try await Self.updateIDs(emulator, offset: first + 1) == [first + 1])
        #expect(try await Self.updateIDs(emulator, offset: first + 2).isEmpty)
        #expect(await emulator.pendingUpdateCount == 0)
        #expect(await emulator.confirmedOffset == first + 2)

        // A reset: new ids below the old ones; the old offset is now in the future and confirms nothing.
        await emulator.resetUpdateIDs()
        let reset = await emulator.nextUpdateID
        #expect(reset < first - 10)
        try await emulator.inject(text: "three", from: ann)
        #expect(try await Self.updateIDs(emulator, offset: first + 2) == [reset])
        #expect(await emulator.pendingUpdateCount == 1)
        #expect(await emulator.confirmedOffset == first + 2)
    }

    @Test func aRepeatedOffsetGetsOneUpdateOnlyWithinHalfASecond() async throws {
        let emulator = try await TelegramEmulator.start(firstUpdateID: 40_000_000)
        defer { Task { await emulator.stop() } }
        // The server's window is 0.5 s; 2 s keeps two calls in a row inside it on a loaded machine.
        await emulator.setRepeatedOffsetWindow(.seconds(2))
        let ann = await emulator.addUser(username: "ann")
        for index in 0..<3 { try await emulator.inject(text: "m\(index)", from: ann) }
        #expect(try await Self.updateIDs(emulator, offset: 40_000_000) == [40_000_000, 40_000_001, 40_000_002])
        #expect(try await Self.updateIDs(emulator, offset: 40_000_000) == [40_000_000])
        // Once the window after the previous call's start has passed, the whole page again.
        try await Task.sleep(for: .milliseconds(2_100))
        #expect(try await Self.updateIDs(emulator, offset: 40_000_000).count == 3)
        #expect(try await Self.updateIDs(emulator, offset: 40_000_001, limit: 2) == [40_000_001, 40_000_002])
    }

    /// python-telegram-bot against the emulator: after a reset its stale offset is answered from the head, a repeat
    /// gets one update, the offset it takes from the updates confirms them, and a topic message carries the topic's
    /// creation message as its reply.
    @Test func pythonTelegramBotSeesTheResetAndTheTopicReply() async throws {
        let emulator = try await TelegramEmulator.start(firstUpdateID: 900_000_000)
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        // The bot had confirmed update 900_000_000 (its offset is 900_000_001) when Telegram picked new ids.
        try await emulator.inject(text: "before the reset", from: ann)
        await emulator.resetUpdateIDs(to: 5_000_000)
        let forum = await emulator.addGroup(title: "Forum", forum: true)
        let topic = try await emulator.addTopic(in: forum, name: "Questions", createdBy: ann)
        try await emulator.inject(text: "in the topic", from: ann, in: forum, threadID: topic)
        let script = """
            import asyncio, json, sys
            from telegram import Bot
            args = json.load(sys.stdin)
            async def main():
                async with Bot(args["token"], base_url=args["api_base"] + "/bot") as bot:
                    first = await bot.get_updates(offset=args["stale"], timeout=0)
                    again = await bot.get_updates(offset=args["stale"], timeout=0)
                    moved = first[-1].update_id + 1
                    after = await bot.get_updates(offset=moved, timeout=0)
                    message = first[-1].message
                    print(json.dumps({
                        "first": [u.update_id for u in first], "again": [u.update_id for u in again],
                        "after": [u.update_id for u in after],
                        "topic": message.reply_to_message.forum_topic_created.name,
                        "thread": message.message_thread_id, "is_topic_message": message.is_topic_message}))
            asyncio.run(main())
            """
        let input = try JSONSerialization.data(withJSONObject: [
            "token": emulator.token, "api_base": emulator.apiBase, "stale": 900_000_001,
        ])
        let answer = try await Self.runPython(script, input: input)
        #expect(answer["first"] as? [Int] == [5_000_000, 5_000_001])
        #expect(answer["again"] as? [Int] == [5_000_000])
        #expect(answer["after"] as? [Int] == [])
        #expect(answer["topic"] as? String == "Questions")
        #expect((answer["thread"] as? NSNumber)?.int64Value == topic)
        #expect(answer["is_topic_message"] as? Bool == true)
        #expect(await emulator.pendingUpdateCount == 0)
        #expect(await emulator.confirmedOffset == 5_000_002)
    }

    /// Runs `script` in the oracle interpreter as a child process (the emulator keeps answering meanwhile) and
    /// returns the JSON object on the last line of its output.
    static func runPython(_ script: String, input: Data) async throws -> [String: Any] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = ChildProcess(executable: URL(fileURLWithPath: try PythonOracle.interpreter()),
                                 arguments: ["-c", script], input: .pipe, output: .log(folder.appendingPathComponent("log")))
        try child.start()
        child.write(input)
        child.closeInput()
        let status = await child.waitForExit(timeout: .seconds(60))
        let lastLine = child.logText.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        guard status == 0, let object = (try? JSONSerialization.jsonObject(with: Data(lastLine.utf8))) as? [String: Any]
        else { throw PythonOracle.Failure("python-telegram-bot script failed (\(status.map(String.init) ?? "timeout")): "
                                          + child.logTail(lines: 15)) }
        return object
    }
}
