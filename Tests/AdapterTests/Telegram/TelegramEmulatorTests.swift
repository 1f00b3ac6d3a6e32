import Foundation
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

/// The emulator speaks the Bot API faithfully: parameter encodings, validation errors, limits and violations.
@Suite("Telegram emulator")
struct TelegramEmulatorTests {
    static func call(_ emulator: TelegramEmulator, _ method: String, token: String? = nil, query: String = "",
                     body: String? = nil, contentType: String = "application/json") async throws
        -> (status: Int, json: [String: Any]) {
        var url = "\(emulator.apiBase)/bot\(token ?? emulator.token)/\(method)"
        if !query.isEmpty { url += "?" + query }
        let request = HTTPRequest(method: body == nil ? "GET" : "POST", url: url,
                                  headers: body == nil ? [:] : ["Content-Type": contentType],
                                  body: body.map { Data($0.utf8) }, timeout: .seconds(10))
        let response = try await TelegramTest.http().execute(request)
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    @Test func parametersAsJSONFormAndQuery() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        let message = try await emulator.inject(text: "hi", from: ann)
        await emulator.setRates(.off)

        let json = try await Self.call(emulator, "sendMessage",
            body: #"{"chat_id":\#(ann.id),"text":"json","reply_parameters":{"message_id":\#(message.messageId)}}"#)
        #expect(json.status == 200)
        #expect(json.json["ok"] as? Bool == true)
        let result = try #require(json.json["result"] as? [String: Any])
        #expect((result["reply_to_message"] as? [String: Any])?["message_id"] as? Int == Int(message.messageId))
        #expect((result["from"] as? [String: Any])?["is_bot"] as? Bool == true)

        let form = try await Self.call(emulator, "sendMessage",
            body: "chat_id=\(ann.id)&text=form+text%21&reply_parameters=%7B%22message_id%22%3A\(message.messageId)%7D",
            contentType: "application/x-www-form-urlencoded")
        #expect(form.status == 200)
        let query = try await Self.call(emulator, "sendMessage", query: "chat_id=\(ann.id)&text=query%20text")
        #expect(query.status == 200)
        #expect(await emulator.sent.map(\.text) == ["json", "form text!", "query text"])
        #expect(await emulator.sent.map(\.replyToMessageID) == [message.messageId, message.messageId, nil])

        let me = try await Self.call(emulator, "getMe")
        let bot = try #require(me.json["result"] as? [String: Any])
        #expect(bot["username"] as? String == "ReplyTensorBot")
        #expect(bot["can_read_all_group_messages"] as? Bool == true)
    }

    @Test func validationErrorsAreTelegramsOwn() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setRates(.off)
        let ann = await emulator.addUser(username: "ann")
        func expectError(_ body: String, _ status: Int, _ description: String, token: String? = nil) async throws {
            let answer = try await Self.call(emulator, "sendMessage", token: token, body: body)
            #expect(answer.status == status)
            #expect(answer.json["ok"] as? Bool == false)
            #expect(answer.json["error_code"] as? Int == status)
            #expect(answer.json["description"] as? String == description)
        }
        try await expectError(#"{"chat_id":\#(ann.id),"text":"  "}"#, 400, "Bad Request: message text is empty")
        try await expectError(#"{"chat_id":12345,"text":"x"}"#, 400, "Bad Request: chat not found")
        let long = String(repeating: "😀", count: 2049)  // 4098 UTF-16 units
        try await expectError(#"{"chat_id":\#(ann.id),"text":"\#(long)"}"#, 400, "Bad Request: message is too long")
        let fits = String(repeating: "😀", count: 2048)  // exactly 4096
        #expect(try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(ann.id),"text":"\#(fits)"}"#).status == 200)
        try await expectError(#"{"chat_id":\#(ann.id),"text":"x","reply_parameters":{"message_id":999}}"#, 400,
                              "Bad Request: message to be replied not found")
        try await expectError(#"{"chat_id":\#(ann.id),"text":"x"}"#, 401, "Unauthorized", token: "1:wrong")
        await emulator.setBlocked(ann)
        try await expectError(#"{"chat_id":\#(ann.id),"text":"x"}"#, 403, "Forbidden: bot was blocked by the user")

        let group = await emulator.addGroup(title: "G")
        let supergroup = try await emulator.upgradeToSupergroup(group)
        let migrated = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(group.id),"text":"x"}"#)
        #expect(migrated.status == 400)
        #expect(migrated.json["description"] as? String == "Bad Request: group chat was upgraded to a supergroup chat")
        let parameters = try #require(migrated.json["parameters"] as? [String: Any])
        #expect((parameters["migrate_to_chat_id"] as? NSNumber)?.int64Value == supergroup.id)

        let action = try await Self.call(emulator, "sendChatAction", body: #"{"chat_id":\#(supergroup.id),"action":"dancing"}"#)
        #expect(action.status == 400)
        #expect(try await Self.call(emulator, "noSuchMethod").status == 404)
    }

    @Test func limitsAnswer429AndCountViolations() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        await emulator.setRates(.init(perChat: (1, .seconds(1)), perGroup: (3, .seconds(60)), global: (30, .seconds(1))))
        let ann = await emulator.addUser(username: "ann")
        let first = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(ann.id),"text":"1"}"#)
        #expect(first.status == 200)
        let second = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(ann.id),"text":"2"}"#)
        #expect(second.status == 429)
        #expect(second.json["description"] as? String == "Too Many Requests: retry after 1")
        #expect((second.json["parameters"] as? [String: Any])?["retry_after"] as? Int == 1)
        // Sent after the 429 arrived (past the in-flight grace) but inside its window: a violation.
        try await Task.sleep(for: TelegramEmulator.inFlightGrace + .milliseconds(100))
        let third = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(ann.id),"text":"3"}"#)
        #expect(third.status == 429)
        #expect(await emulator.violations == TelegramEmulator.Violations(retryAfterIgnored: 1, ruleExcess: 1))

        // Group: 3 per minute here; a fourth within the minute is excess even when spaced by the per-chat second.
        await emulator.setRates(.init(perChat: (100, .seconds(1)), perGroup: (3, .seconds(60)), global: (30, .seconds(1))))
        let group = await emulator.addGroup(title: "G")
        for index in 0..<3 {
            #expect(try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(group.id),"text":"\#(index)"}"#).status == 200)
        }
        let excess = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(group.id),"text":"x"}"#)
        #expect(excess.status == 429)
        #expect(((excess.json["parameters"] as? [String: Any])?["retry_after"] as? Int ?? 0) > 50)
        #expect(await emulator.violations.ruleExcess == 2)
    }

    /// Telegram's own rules refuse the second send in the same second to one group; `.off` accepts a burst the rules
    /// refuse (the peer benchmark's bot has no rate limiter) and counts nothing more.
    @Test func rulesOffAcceptBurstsTheRulesRefuse() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let quiet = await emulator.addGroup(title: "Quiet", supergroup: true)
        #expect(try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(quiet.id),"text":"a"}"#).status == 200)
        #expect(try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(quiet.id),"text":"b"}"#).status == 429)
        #expect(await emulator.violations == TelegramEmulator.Violations(ruleExcess: 1))

        await emulator.setRates(.off)
        let busy = await emulator.addGroup(title: "Busy", supergroup: true)
        for index in 0..<35 {
            #expect(try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(busy.id),"text":"\#(index)"}"#).status == 200)
        }
        #expect(await emulator.sent.filter { $0.chatID == busy.id }.count == 35)
        #expect(await emulator.violations == TelegramEmulator.Violations(ruleExcess: 1))
    }

    @Test func entitiesAreComputedInUTF16() {
        let text = "👋🏽 @ann /help@ReplyTensorBot and e\u{301}@ReplyTensorBot"
        let entities = TelegramEmulator.entities(in: text)
        #expect(entities.map(\.type) == ["mention", "bot_command"])
        #expect(entities[0].offset == 5)  // 👋🏽 is 4 UTF-16 units, then a space
        #expect(entities[0].length == 4)
        #expect(entities[1].offset == 10)
        #expect(entities[1].length == 20)
        let second = TelegramEmulator.Entity.covering("@ReplyTensorBot", in: "é👨‍👩‍👧 @ReplyTensorBot", type: "mention")
        #expect(second?.offset == 10)
    }

    @Test func waitForSentAndWebhookInfo() async throws {
        let emulator = try await TelegramEmulator.start()
        defer { Task { await emulator.stop() } }
        let ann = await emulator.addUser(username: "ann")
        #expect(await emulator.waitForSent(count: 1, timeout: .milliseconds(100)) == false)
        _ = try await Self.call(emulator, "sendMessage", body: #"{"chat_id":\#(ann.id),"text":"x"}"#)
        #expect(await emulator.waitForSent(count: 1, timeout: .seconds(1)))
        _ = try await Self.call(emulator, "setWebhook", body: #"{"url":"https://example.invalid/h"}"#)
        let info = try await Self.call(emulator, "getWebhookInfo")
        #expect((info.json["result"] as? [String: Any])?["url"] as? String == "https://example.invalid/h")
        let conflict = try await Self.call(emulator, "getUpdates")
        #expect(conflict.status == 409)
        #expect((conflict.json["description"] as? String)?.contains("webhook is active") == true)
    }
}
