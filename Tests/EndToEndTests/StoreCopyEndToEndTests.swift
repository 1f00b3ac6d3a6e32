import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorStore
import ReplyTensorTestSupport
import Testing

/// `replytensor store copy` with the real binary: SQLite → PostgreSQL → SQLite keeps everything.
@Suite("store copy (real binary, real PostgreSQL)")
struct StoreCopyEndToEndTests {
    static func message(_ id: String, platform: Platform) -> InboundMessage {
        InboundMessage(platform: platform, id: id, platformMessageID: "p\(id)",
                       chat: ChatRef(id: "chat-\(id.prefix(1))", kind: .group, threadID: "t1", title: "Grüppe"),
                       author: Author(id: "u\(id)", handle: "h\(id)", displayName: "Näme", isBot: false),
                       text: "hello \(id) 👋", addressedAs: .mention, replyTo: MessageRef(id: "parent", text: "earlier"),
                       createdAt: Date(timeIntervalSince1970: 1_700_000_000.25), extras: ["k": "v"])
    }

    /// A store with a bit of everything: every ledger state, cursors, waits, tokens, adapter state, a log.
    static func seed(_ path: String) async throws {
        let store = try SQLiteStore(path: path)
        let base = Date(timeIntervalSince1970: 1_800_000_000.5)
        let messages = (0..<12).map { message("m\($0)", platform: [.telegram, .discord, .twitter][$0 % 3]) }
        _ = try await store.admit(messages, at: base)
        for (index, entry) in messages.enumerated() where index % 4 != 0 {
            _ = try await store.claim(entry.key, at: base.addingTimeInterval(Double(index)))
        }
        try await store.beginPosting(messages[1].key, parts: ["a", "b"], backend: "gateway", at: base)
        try await store.recordPosted(messages[1].key, replyID: "r1", logging: nil, answered: false, at: base)
        try await store.recordPosted(messages[1].key, replyID: "r2", logging: nil, answered: true, at: base)
        try await store.beginPosting(messages[2].key, parts: ["c"], backend: "subnet", at: base)
        try await store.finish(messages[3].key, state: .failed, reason: "responder.timeout", at: base)
        try await store.finish(messages[5].key, state: .skipped, reason: "limit", at: base)
        try await store.saveCursors(["offset": "42", "channel:9": "1234"], for: .telegram, at: base)
        try await store.saveCursors(["channel:1": "99"], for: .discord, at: base)
        try await store.block(RateBlock(platform: .telegram, scope: "chat:5", until: base.addingTimeInterval(60), reason: "429"))
        try await store.saveToken("twitter.refresh", value: "refresh-token-value", at: base)
        try await store.setValue("3", for: "budget.2027-01-15", platform: .twitter, at: base)
        try await store.setValue("{\"hotkeys\":[]}", for: "metagraph", platform: "subnet", at: base)
        try await store.append(LoggedMessage(platform: .telegram, chatID: "c", messageID: "l1", parentID: nil, authorID: "u",
                                             authorName: "@u", fromBot: false, text: "hi", at: base))
        try await store.append(LoggedMessage(platform: .telegram, chatID: "c", messageID: "l2", parentID: "l1",
                                             authorID: "self", authorName: "bot", fromBot: true, text: "yo", at: base))
        try store.close()
    }

    static func snapshot(_ path: String) async throws -> StoreSnapshot {
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        return try await store.exportSnapshot().normalized
    }

    @Test("SQLite → PostgreSQL → SQLite keeps every row; a non-empty target needs --force; a running bot's file is refused")
    func roundTrip() async throws {
        let folder = try BotProcess.makeFolder()
        let cluster = try PostgresCluster.shared()
        let url = cluster.url(database: try cluster.newDatabase())
        let environment = ["REPLYTENSOR_STORE_PASSWORD": cluster.password]
        try await Self.seed(folder.appendingPathComponent("a.sqlite").path)
        let original = try await Self.snapshot(folder.appendingPathComponent("a.sqlite").path)
        #expect(original.mentions.count == 12)

        let toPostgres = try await BotProcess.run(["store", "copy", "--from", "a.sqlite", "--to", url], folder: folder,
                                                  environment: environment)
        #expect(toPostgres.status == 0, "\(toPostgres.output)")
        #expect(toPostgres.output.contains("mentions          12"))
        #expect(toPostgres.output.contains("tokens            1"))

        let again = try await BotProcess.run(["store", "copy", "--from", "a.sqlite", "--to", url], folder: folder,
                                             environment: environment)
        #expect(again.status == 1)
        #expect(again.output.contains("not empty") && again.output.contains("--force"))

        let back = try await BotProcess.run(["store", "copy", "--from", url, "--to", "b.sqlite"], folder: folder,
                                            environment: environment)
        #expect(back.status == 0, "\(back.output)")
        #expect(try await Self.snapshot(folder.appendingPathComponent("b.sqlite").path) == original)

        let forced = try await BotProcess.run(["store", "copy", "--from", "b.sqlite", "--to", url, "--force"],
                                              folder: folder, environment: environment)
        #expect(forced.status == 0, "\(forced.output)")
        let location = try PostgresLocation(parsing: url)
        let postgres = try await PostgresStore.open(location: location, password: cluster.password,
                                                    logger: Logger(label: "t"))
        #expect(try await postgres.exportSnapshot().normalized == original)
        await postgres.close()

        let lock = try StoreLock.acquire(store: folder.appendingPathComponent("b.sqlite").path)
        let busy = try await BotProcess.run(["store", "copy", "--from", "b.sqlite", "--to", "c.sqlite"], folder: folder)
        lock.release()
        #expect(busy.status == 1)
        #expect(busy.output.contains("in use"))

        for output in [toPostgres.output, again.output, back.output, forced.output, busy.output] {
            #expect(!output.contains(cluster.password))
        }
    }

    @Test("a wrong password or a URL with a password fails clearly and never prints it")
    func refusals() async throws {
        let folder = try BotProcess.makeFolder()
        let cluster = try PostgresCluster.shared()
        let database = try cluster.newDatabase()
        try await Self.seed(folder.appendingPathComponent("a.sqlite").path)
        let wrong = try await BotProcess.run(["store", "copy", "--from", "a.sqlite", "--to", cluster.url(database: database)],
                                             folder: folder, environment: ["REPLYTENSOR_STORE_PASSWORD": "not-it-4711"])
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("127.0.0.1:\(cluster.port)"))
        #expect(!wrong.output.contains("not-it-4711"))
        let inline = "postgresql://replytensor:\(cluster.password)@127.0.0.1:\(cluster.port)/\(database)"
        let refused = try await BotProcess.run(["store", "copy", "--from", "a.sqlite", "--to", inline], folder: folder)
        #expect(refused.status == 78)
        #expect(refused.output.contains("store_password_env"))
        #expect(!refused.output.contains(cluster.password))
    }

    @Test("a PostgreSQL store with a live replica is in use: the copy is refused until the replica leaves")
    func liveReplicaRefused() async throws {
        let folder = try BotProcess.makeFolder()
        let cluster = try PostgresCluster.shared()
        let url = cluster.url(database: try cluster.newDatabase())
        let environment = ["REPLYTENSOR_STORE_PASSWORD": cluster.password]
        let replica = try await PostgresStore.open(location: try PostgresLocation(parsing: url), password: cluster.password,
                                                   replica: ReplicaIdentity(name: "bot-a", host: "h", pid: 7),
                                                   logger: Logger(label: "test"))
        try await replica.heartbeat(at: Date())
        let refused = try await BotProcess.run(["store", "copy", "--from", url, "--to", "c.sqlite"], folder: folder,
                                               environment: environment)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("bot-a"), "\(refused.output)")
        try await replica.leave()
        await replica.close()
        let copied = try await BotProcess.run(["store", "copy", "--from", url, "--to", "c.sqlite"], folder: folder,
                                              environment: environment)
        #expect(copied.status == 0, "\(copied.output)")
    }
}
