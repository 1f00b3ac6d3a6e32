import Foundation
import ReplyTensorHTTP
import ReplyTensorEmulators
import Testing

/// The emulator's forum posts, guild pages, nonce memory and Cloudflare ban behave as Discord's do.
@Suite("Discord emulator: forums, guild pages, nonces, bans")
struct DiscordEmulatorRealismTests {
    func request(_ emulator: DiscordEmulator, _ method: String, _ path: String, body: String? = nil) async throws
        -> HTTPResponse {
        var headers: HTTPHeaders = ["Authorization": "Bot \(emulator.token)",
                                    "User-Agent": "DiscordBot (https://example.invalid, 1.0)"]
        if body != nil { headers.set("Content-Type", "application/json") }
        return try await DiscordTest.http().execute(HTTPRequest(method: method, url: emulator.apiBase + path,
                                                                headers: headers, body: body.map { Data($0.utf8) }))
    }

    func json(_ response: HTTPResponse) -> Any? { try? JSONSerialization.jsonObject(with: response.body) }

    @Test func aForumPostIsAThreadWhoseStarterMessageHasItsId() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let forum = await emulator.addForum(in: guild, name: "help")
        let alice = await emulator.addUser(username: "alice")
        let (post, starter) = try await emulator.addPost(in: forum, title: "Question", content: "first", from: alice)
        #expect(post.id == starter.id)
        let channels = json(try await request(emulator, "GET", "/guilds/\(guild.id)/channels")) as? [[String: Any]]
        let listedForum = channels?.first { $0["id"] as? String == forum.id }
        #expect(listedForum?["type"] as? Int == 15)
        #expect(listedForum?["last_message_id"] as? String == post.id)
        let active = json(try await request(emulator, "GET", "/guilds/\(guild.id)/threads/active")) as? [String: Any]
        let thread = (active?["threads"] as? [[String: Any]])?.first { $0["id"] as? String == post.id }
        #expect(thread?["type"] as? Int == 11)
        #expect(thread?["parent_id"] as? String == forum.id)
        let after = String(UInt64(post.id)! - 1)
        let page = json(try await request(emulator, "GET", "/channels/\(post.id)/messages?after=\(after)"))
        #expect((page as? [[String: Any]])?.compactMap { $0["id"] as? String } == [post.id])
        let excluded = json(try await request(emulator, "GET", "/channels/\(post.id)/messages?after=\(post.id)"))
        #expect((excluded as? [[String: Any]])?.isEmpty == true)
        let direct = try await request(emulator, "POST", "/channels/\(forum.id)/messages", body: "{\"content\":\"x\"}")
        #expect(direct.status == 400)
        #expect((json(direct) as? [String: Any])?["code"] as? Int == 50008)
    }

    @Test func guildsComeInPagesOf200() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        var ids: [String] = []
        for index in 0..<203 { ids.append(await emulator.addGuild(name: "g\(index)").id) }
        let first = json(try await request(emulator, "GET", "/users/@me/guilds")) as? [[String: Any]]
        #expect(first?.compactMap { $0["id"] as? String } == Array(ids.prefix(200)))
        let next = json(try await request(emulator, "GET", "/users/@me/guilds?after=\(ids[199])&limit=200"))
        #expect((next as? [[String: Any]])?.compactMap { $0["id"] as? String } == Array(ids.suffix(3)))
        let small = json(try await request(emulator, "GET", "/users/@me/guilds?limit=2")) as? [[String: Any]]
        #expect(small?.count == 2)
    }

    @Test func aNonceIsForgottenAfterTheWindow() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let guild = await emulator.addGuild(name: "g")
        let channel = await emulator.addChannel(in: guild, name: "general")
        let body = "{\"content\":\"hello\",\"nonce\":\"n1\",\"enforce_nonce\":true}"
        let once = json(try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: body))
        let twice = json(try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: body))
        #expect((once as? [String: Any])?["id"] as? String == (twice as? [String: Any])?["id"] as? String)
        await emulator.setNonceWindow(.zero)
        let later = json(try await request(emulator, "POST", "/channels/\(channel.id)/messages", body: body))
        #expect((later as? [String: Any])?["id"] as? String != (once as? [String: Any])?["id"] as? String)
        #expect(await emulator.sent.count == 2)
    }

    @Test func aCloudflareBanAnswersHTML429WithoutVia() async throws {
        let emulator = try await DiscordEmulator.start()
        defer { Task { await emulator.stop() } }
        let normal = try await request(emulator, "GET", "/users/@me")
        #expect(normal.headers["Via"] == "1.1 google")
        await emulator.banIP(for: .seconds(30))
        let banned = try await request(emulator, "GET", "/users/@me")
        #expect(banned.status == 429)
        #expect(banned.headers["Via"] == nil)
        #expect(banned.headers["X-RateLimit-Bucket"] == nil)
        #expect(banned.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(json(banned) == nil)
        #expect(banned.text.contains("Error 1015"))
    }
}
