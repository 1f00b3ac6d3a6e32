import Foundation
import ReplyTensorCore
import ReplyTensorHTTP
import Testing
import TelegramPlatform

/// Addressing and parsing through `poll`, with a scripted Bot API.
@Suite("Telegram addressing")
struct TelegramAddressingTests {
    static let botID: Int64 = 999
    static let token = "999:SECRET-token-for-addressing-tests"

    /// A message JSON object.
    static func message(id: Int = 1, chat: String = #"{"id":-100,"type":"group","title":"G"}"#,
                        from: String = #"{"id":1,"is_bot":false,"first_name":"Ann","username":"ann"}"#,
                        text: String? = nil, entities: [(String, Int, Int)] = [], caption: Bool = false,
                        extra: String = "") -> String {
        var fields = ["\"message_id\":\(id)", "\"date\":1700000000", "\"chat\":\(chat)", "\"from\":\(from)"]
        if let text {
            let quoted = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
            fields.append("\"\(caption ? "caption" : "text")\":\(quoted)")
        }
        if !entities.isEmpty {
            let list = entities.map { type, offset, length -> String in
                let user = type == "text_mention"
                    ? #","user":{"id":999,"is_bot":true,"first_name":"Reply Bot","username":"ReplyBot"}"# : ""
                return "{\"type\":\"\(type)\",\"offset\":\(offset),\"length\":\(length)\(user)}"
            }
            fields.append("\"\(caption ? "caption_entities" : "entities")\":[\(list.joined(separator: ","))]")
        }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static let privateChat = #"{"id":1,"type":"private","first_name":"Ann","username":"ann"}"#

    /// Polls once with `updates` (raw update JSON objects) as the page.
    static func poll(_ body: String, cursors: [String: String] = [:]) async throws -> PollPage {
        let http = ScriptedHTTPClient { request in
            if request.url.hasSuffix("/getMe") {
                return HTTPResponse(status: 200, body: Data(#"{"ok":true,"result":{"id":999,"is_bot":true,"first_name":"Reply Bot","username":"ReplyBot","can_read_all_group_messages":false}}"#.utf8))
            }
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        let adapter = TelegramAdapter(configuration: TelegramConfiguration(token: token, apiBase: "http://127.0.0.1:1"),
                                      environment: TelegramTest.environment(http))
        return try await adapter.poll(cursors: cursors)
    }

    static func page(_ messages: [String], firstID: Int = 10) -> String {
        let updates = messages.enumerated().map { "{\"update_id\":\(firstID + $0.offset),\"message\":\($0.element)}" }
        return #"{"ok":true,"result":["# + updates.joined(separator: ",") + "]}"
    }

    static func single(_ message: String) async throws -> InboundMessage? {
        try await poll(page([message])).messages.first
    }

    @Test func privateChatIsDirect() async throws {
        let inbound = try #require(try await Self.single(Self.message(id: 5, chat: Self.privateChat, text: "hello there")))
        #expect(inbound.addressedAs == .direct)
        #expect(inbound.text == "hello there")
        #expect(inbound.chat.kind == .direct)
        #expect(inbound.id == "1:5")
        #expect(inbound.platformMessageID == "5")
        #expect(inbound.extras["chat_id"] == "1")
        #expect(inbound.extras["chat_type"] == "private")
        #expect(inbound.author == Author(id: "1", handle: "ann", displayName: "Ann", isBot: false))
    }

    @Test func groupMentionIsRemoved() async throws {
        let text = "@ReplyBot what is 2+2?"
        let inbound = try #require(try await Self.single(Self.message(text: text, entities: [("mention", 0, 9)])))
        #expect(inbound.addressedAs == .mention)
        #expect(inbound.text == "what is 2+2?")
        #expect(inbound.chat == ChatRef(id: "-100", kind: .group, title: "G"))
        #expect(inbound.id == "-100:1")
    }

    @Test func mentionIsCaseInsensitiveAndCommaGoes() async throws {
        let inbound = try #require(try await Self.single(
            Self.message(text: "@replybot, tell me a joke", entities: [("mention", 0, 9)])))
        #expect(inbound.text == "tell me a joke")
    }

    @Test func mentionOfAnotherBotIsIgnored() async throws {
        let page = try await Self.poll(Self.page([
            Self.message(id: 1, text: "@OtherBot hi", entities: [("mention", 0, 9)]),
            Self.message(id: 2, text: "just chatting about @ReplyBot without entity"),
            Self.message(id: 3, text: "@ReplyBotX hi", entities: [("mention", 0, 10)]),
        ]))
        #expect(page.messages.isEmpty)
        #expect(page.cursorUpdates["offset"] == "13")
    }

    @Test func textMentionOfTheBot() async throws {
        let inbound = try #require(try await Self.single(
            Self.message(text: "Reply Bot can you help", entities: [("text_mention", 0, 9)])))
        #expect(inbound.addressedAs == .mention)
        #expect(inbound.text == "can you help")
    }

    @Test func commandsInGroupsNeedTheBotName() async throws {
        let page = try await Self.poll(Self.page([
            Self.message(id: 1, text: "/help@ReplyBot", entities: [("bot_command", 0, 14)]),
            Self.message(id: 2, text: "/help@OtherBot", entities: [("bot_command", 0, 14)]),
            Self.message(id: 3, text: "/help", entities: [("bot_command", 0, 5)]),
            Self.message(id: 4, text: "/ask@replybot what is rust?", entities: [("bot_command", 0, 13)]),
        ]))
        #expect(page.messages.map(\.platformMessageID) == ["1", "4"])
        #expect(page.messages.map(\.text) == ["/help", "/ask what is rust?"])
        #expect(page.messages.allSatisfy { $0.addressedAs == .command })
    }

    @Test func commandWithoutBotNameInPrivateChat() async throws {
        let inbound = try #require(try await Self.single(
            Self.message(chat: Self.privateChat, text: "/start", entities: [("bot_command", 0, 6)])))
        #expect(inbound.addressedAs == .command)
        #expect(inbound.text == "/start")
    }

    @Test func replyToTheBot() async throws {
        let parent = Self.message(id: 7, from: #"{"id":999,"is_bot":true,"first_name":"Reply Bot","username":"ReplyBot"}"#,
                                  text: "Earlier answer")
        let inbound = try #require(try await Self.single(
            Self.message(id: 8, text: "and why?", extra: "\"reply_to_message\":\(parent)")))
        #expect(inbound.addressedAs == .reply)
        #expect(inbound.text == "and why?")
        #expect(inbound.replyTo?.id == "7")
        #expect(inbound.replyTo?.text == "Earlier answer")
        #expect(inbound.replyTo?.author?.isBot == true)
        #expect(inbound.replyTo?.author?.id == "999")
    }

    @Test func replyToSomeoneElseIsIgnored() async throws {
        let parent = Self.message(id: 7, text: "human text")
        let page = try await Self.poll(Self.page([Self.message(id: 8, text: "agreed", extra: "\"reply_to_message\":\(parent)")]))
        #expect(page.messages.isEmpty)
    }

    @Test func captionMention() async throws {
        let inbound = try #require(try await Self.single(
            Self.message(text: "look @ReplyBot", entities: [("mention", 5, 9)], caption: true)))
        #expect(inbound.addressedAs == .mention)
        #expect(inbound.text == "look")
    }

    @Test func mentionAfterEmojiZWJAndCombiningMarks() async throws {
        let prefix = "héllo 👨‍👩‍👧 e\u{301}\u{0323} 🏳️‍🌈 "
        let text = prefix + "@ReplyBot what?"
        let offset = prefix.utf16.count
        let inbound = try #require(try await Self.single(Self.message(text: text, entities: [("mention", offset, 9)])))
        #expect(inbound.text == "héllo 👨‍👩‍👧 e\u{301}\u{0323} 🏳️‍🌈 what?")
        #expect(Array(inbound.text.unicodeScalars) == Array("héllo 👨‍👩‍👧 e\u{301}\u{0323} 🏳️‍🌈 what?".unicodeScalars))
    }

    @Test func mentionInTheMiddleBeforePunctuation() async throws {
        let prefix = "tell me 🤷🏽‍♀️ "
        let text = prefix + "@ReplyBot, please"
        let inbound = try #require(try await Self.single(
            Self.message(text: text, entities: [("mention", prefix.utf16.count, 9)])))
        #expect(inbound.text == "tell me 🤷🏽‍♀️, please")
    }

    @Test func mentionAtTheEndAndAcrossLines() async throws {
        let text = "first line\n@ReplyBot\nsecond line @ReplyBot"
        let second = (text as NSString).range(of: "@ReplyBot", options: .backwards).location
        let inbound = try #require(try await Self.single(
            Self.message(text: text, entities: [("mention", 11, 9), ("mention", second, 9)])))
        #expect(inbound.text == "first line\n\nsecond line")
    }

    @Test func messagesFromBotsAreKeptAndMarked() async throws {
        let inbound = try #require(try await Self.single(Self.message(
            from: #"{"id":555,"is_bot":true,"first_name":"Other","username":"OtherBot"}"#,
            text: "@ReplyBot ping", entities: [("mention", 0, 9)])))
        #expect(inbound.author.isBot)
        #expect(inbound.text == "ping")
    }

    @Test func forumTopicThread() async throws {
        let chat = #"{"id":-1001,"type":"supergroup","title":"Forum","is_forum":true}"#
        let inbound = try #require(try await Self.single(Self.message(
            chat: chat, text: "@ReplyBot hi", entities: [("mention", 0, 9)],
            extra: #""message_thread_id":42,"is_topic_message":true"#)))
        #expect(inbound.chat.threadID == "42")
        #expect(inbound.extras["thread_id"] == "42")
        #expect(inbound.chat.kind == .group)
    }

    @Test func brokenEntitiesDoNotCrash() async throws {
        let page = try await Self.poll(Self.page([
            Self.message(id: 1, text: "😀@ReplyBot", entities: [("mention", 1, 9), ("mention", 500, 3), ("mention", -1, 2)]),
            Self.message(id: 2, chat: Self.privateChat, text: "😀 x", entities: [("mention", 1, 2)]),
        ]))
        // The first entity splits the emoji's surrogate pair: ignored, so message 1 is not addressed.
        #expect(page.messages.map(\.platformMessageID) == ["2"])
        #expect(page.messages.first?.text == "😀 x")
    }

    @Test func malformedUpdateIsRejectedAndSkipped() async throws {
        let good = "{\"update_id\":20,\"message\":\(Self.message(id: 1, chat: Self.privateChat, text: "one"))}"
        let wrongType = #"{"update_id":21,"message":{"message_id":"abc","date":1,"chat":{"id":1,"type":"private"}}}"#
        let last = "{\"update_id\":22,\"message\":\(Self.message(id: 3, chat: Self.privateChat, text: "three"))}"
        let noID = #"{"message":{"text":"?"}}"#
        let body = #"{"ok":true,"result":["# + [good, wrongType, noID, last].joined(separator: ",") + "]}"
        let page = try await Self.poll(body, cursors: ["offset": "20"])
        #expect(page.messages.map(\.text) == ["one", "three"])
        #expect(page.rejected.count == 2)
        #expect(page.cursorUpdates["offset"] == "23")
        #expect(page.nextPollDelay == .zero)
    }

    @Test func malformedUpdateAtTheEndStillMovesTheCursor() async throws {
        let body = #"{"ok":true,"result":[{"update_id":31,"message":{"message_id":true}}]}"#
        let page = try await Self.poll(body, cursors: ["offset": "30"])
        #expect(page.messages.isEmpty)
        #expect(page.rejected.count == 1)
        #expect(page.cursorUpdates["offset"] == "32")
    }

    @Test func malformedBodyKeepsTheCursor() async throws {
        for body in [#"{"ok":true,"result":[{"update_id":"#, "<html>oops</html>", "\u{FFFD}\u{0000}"] {
            let page = try await Self.poll(body, cursors: ["offset": "50"])
            #expect(page.messages.isEmpty)
            #expect(page.rejected.count == 1)
            #expect(page.cursorUpdates.isEmpty)
        }
    }

    @Test func emptyPageKeepsTheCursorAndWaitsBeforeTheNextPoll() async throws {
        let page = try await Self.poll(#"{"ok":true,"result":[]}"#, cursors: ["offset": "77"])
        #expect(page.cursorUpdates.isEmpty || page.cursorUpdates["offset"] == "77")
        #expect(page.messages.isEmpty)
        #expect(page.nextPollDelay > .zero)
    }

    @Test func updateIdsBelowTheOffsetMoveTheCursorDown() async throws {
        let page = try await Self.poll(Self.page([
            Self.message(id: 1, chat: Self.privateChat, text: "one"),
            Self.message(id: 2, chat: Self.privateChat, text: "two"),
        ], firstID: 10), cursors: ["offset": "5000"])
        #expect(page.messages.map(\.text) == ["one", "two"])
        #expect(page.cursorUpdates["offset"] == "12")
        #expect(page.nextPollDelay == .zero)
    }

    @Test func identityReportsPrivacyMode() async throws {
        let http = ScriptedHTTPClient { _ in
            HTTPResponse(status: 200, body: Data(#"{"ok":true,"result":{"id":999,"is_bot":true,"first_name":"Reply Bot","username":"ReplyBot","can_join_groups":true,"can_read_all_group_messages":false}}"#.utf8))
        }
        let adapter = TelegramAdapter(configuration: TelegramConfiguration(token: Self.token),
                                      environment: TelegramTest.environment(http))
        let identity = try await adapter.identity()
        #expect(identity.id == "999")
        #expect(identity.handle == "ReplyBot")
        #expect(identity.extras["can_read_all_group_messages"] == "false")
        let info = try await adapter.verify()
        // What BotFather says privacy mode does: mentions by username do arrive.
        let warning = try #require(info.privacyWarning)
        #expect(warning.contains("mention @ReplyBot by username"))
        #expect(!warning.contains("never arrive") || warning.contains("other group messages never reach it"))
        let request = try #require(http.requests.first)
        #expect(request.url == "https://api.telegram.org/bot\(Self.token)/getMe")
        #expect(request.redactions.contains(Self.token))
        #expect(!request.redactedURL.contains(Self.token))
        #expect(adapter.rules.length.limit == 4096)
        #expect(adapter.rules.length.measure("👨‍👩‍👧") == 8)
        #expect(adapter.rules.typingInterval == .seconds(4))
        #expect(adapter.rules.idempotentPost == false)
        #expect(adapter.rules.maxParts == 4)
    }

    @Test func transportErrorsAreScrubbed() async throws {
        let http = ScriptedHTTPClient { request in
            throw HTTPClientError(.transport, "connection refused to \(request.url)")
        }
        let adapter = TelegramAdapter(configuration: TelegramConfiguration(token: Self.token),
                                      environment: TelegramTest.environment(http))
        let error = await #expect(throws: BotError.self) { try await adapter.identity() }
        #expect(error?.code == .transport)
        #expect(error?.description.contains("SECRET") == false)
        #expect(error?.isRetryable == true)
    }

    @Test func serverErrorsAreRetryable() async throws {
        let http = ScriptedHTTPClient { request in
            if request.url.hasSuffix("getMe") {
                return HTTPResponse(status: 200, body: Data(#"{"ok":true,"result":{"id":999,"is_bot":true,"first_name":"B","username":"ReplyBot"}}"#.utf8))
            }
            return HTTPResponse(status: 502, body: Data("<html>Bad Gateway</html>".utf8))
        }
        let adapter = TelegramAdapter(configuration: TelegramConfiguration(token: Self.token),
                                      environment: TelegramTest.environment(http))
        let error = await #expect(throws: BotError.self) { try await adapter.poll(cursors: [:]) }
        #expect(error?.httpStatus == 502)
        #expect(error?.isRetryable == true)
    }
}
