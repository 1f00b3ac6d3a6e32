import Foundation
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

/// The emulator speaks Discord's JSON, limits and errors.
@Suite("Discord emulator")
struct DiscordEmulatorTests {
    func request(_ emulator: DiscordEmulator, _ method: String, _ path: String, body: String? = nil,
                 token: String? = nil, agent: String = "DiscordBot (https://example.invalid, 1.0)") async throws
        -> HTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bot \(token ?? emulator.token)", "User-Agent": agent]
        if body != nil { headers.set("Content-Type", "application/json") }
        return try await DiscordTest.http().execute(HTTPRequest(method: method, url: emulator.apiBase + path,
                                                                headers: headers, body: body.map { Data($0.utf8) }))
    }

    func json(_ response: HTTPResponse) -> Any? { try? JSONSerialization.jsonObject(with: response.body) }

    @Test func identityAuthAndUserAgent() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let me = try await request(emulator, "GET", "/users/@me")
        #expect(me.status == 200)
        #expect((json(me) as? [String: Any])?["bot"] as? Bool == true)
        #expect(me.headers["X-RateLimit-Bucket"] != nil)
        let wrong = try await request(emulator, "GET", "/users/@me", token: "nope")
        #expect(wrong.status == 401)
        #expect((json(wrong) as? [String: Any])?["message"] as? String == "401: Unauthorized")
        _ = try await request(emulator, "GET", "/users/@me", agent: "curl/8")
        #expect(await emulator.violations.badUserAgent == 1)
    }

    @Test func messagesAreNewestFirstEvenWithAfterAndContentNeedsAMention() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let alice = await emulator.addUser(username: "alice")
        let first = try await emulator.inject("first", from: alice, in: channel)
        let second = try await emulator.inject("hi \(DiscordEmulator.mention(emulator.bot))", from: alice, in: channel)
        let third = try await emulator.inject("third", from: alice, in: channel)
        let page = try await request(emulator, "GET", "/channels/\(channel.id)/messages?after=\(first.id)&limit=100")
        let list = json(page) as? [[String: Any]] ?? []
        #expect(list.map { $0["id"] as? String } == [third.id, second.id])
        #expect(list.map { $0["content"] as? String } == ["", "hi <@\(emulator.bot.id)>"])
        let limited = try await request(emulator, "GET", "/channels/\(channel.id)/messages?after=0&limit=1")
        #expect((json(limited) as? [[String: Any]])?.first?["id"] as? String == first.id)
        let channels = json(try await request(emulator, "GET", "/guilds/\(guild.id)/channels")) as? [[String: Any]]
        #expect(channels?.first { $0["id"] as? String == channel.id }?["last_message_id"] as? String == third.id)
        #expect(channels?.contains { $0["type"] as? Int == 2 } == true)
    }

    @Test func createMessageValidationAndNonceDeduplication() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let long = String(repeating: "a", count: 2001)
        let tooLong = try await request(emulator, "POST", "/channels/\(channel.id)/messages",
                                        body: "{\"content\":\"\(long)\"}")
        #expect(tooLong.status == 400)
        let error = json(tooLong) as? [String: Any]
        #expect(error?["code"] as? Int == 50035)
        #expect(tooLong.text.contains("BASE_TYPE_MAX_LENGTH"))
        let empty = try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: "{\"content\":\"\"}")
        #expect((json(empty) as? [String: Any])?["code"] as? Int == 50006)
        let body = "{\"content\":\"hello @everyone\",\"nonce\":\"abc\",\"enforce_nonce\":true,"
            + "\"allowed_mentions\":{\"parse\":[]}}"
        let once = try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: body)
        let twice = try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: body)
        #expect(once.status == 200 && twice.status == 200)
        #expect((json(once) as? [String: Any])?["id"] as? String == (json(twice) as? [String: Any])?["id"] as? String)
        #expect(await emulator.sent.count == 1)
        #expect(await emulator.dedupedResends == 1)
        #expect(await emulator.sent.first?.contentPings == [])
        let pinging = try await request(emulator, "POST", "/channels/\(channel.id)/messages",
                                        body: "{\"content\":\"hello @everyone\"}")
        #expect(pinging.status == 200)
        #expect(await emulator.sent.last?.contentPings == ["everyone"])
        let unknown = try await request(emulator, "POST", "/channels/1/messages", body: "{\"content\":\"x\"}")
        #expect((json(unknown) as? [String: Any])?["code"] as? Int == 10003)
    }

    @Test func bucketsAnswer429AndCountTheViolation() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let channel = await emulator.addChannel(in: guild, name: "general")
        var remaining: [String] = []
        var statuses: [Int] = []
        for index in 0..<6 {
            let response = try await request(emulator, "POST", "/channels/\(channel.id)/messages",
                                             body: "{\"content\":\"m\(index)\"}")
            statuses.append(response.status)
            remaining.append(response.headers["X-RateLimit-Remaining"] ?? "?")
        }
        #expect(statuses == [200, 200, 200, 200, 200, 429])
        #expect(remaining == ["4", "3", "2", "1", "0", "0"])
        #expect(await emulator.violations.exhaustedBucket == 1)
        let last = await emulator.recorder.requests.last
        #expect(last?.status == 429)
        // Another channel is another bucket.
        let other = await emulator.addChannel(in: guild, name: "other")
        let fine = try await request(emulator, "POST", "/channels/\(other.id)/messages", body: "{\"content\":\"x\"}")
        #expect(fine.status == 200)
    }

    @Test func permissionsAreEnforced() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let hidden = await emulator.addChannel(in: guild, name: "hidden")
        await emulator.denyBot(1 << 10, in: hidden)
        let readOnly = await emulator.addChannel(in: guild, name: "announcements")
        await emulator.denyBot(1 << 11, in: readOnly)
        let read = try await request(emulator, "GET", "/channels/\(hidden.id)/messages")
        #expect(read.status == 403)
        let send = try await request(emulator, "POST", "/channels/\(readOnly.id)/messages", body: "{\"content\":\"x\"}")
        #expect((json(send) as? [String: Any])?["code"] as? Int == 50013)
    }
}
