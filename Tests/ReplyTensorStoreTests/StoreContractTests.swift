import Foundation
import ReplyTensorCore
import ReplyTensorPostgres
import ReplyTensorStore
import Testing

/// The stores under test: every case runs against each (PostgreSQL on a fresh database of the test cluster).
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, sqlite, postgres
    var description: String { rawValue }

    func make() async throws -> any BotStore {
        switch self {
        case .memory: return InMemoryStore()
        case .sqlite: return try SQLiteStore(path: TemporaryDirectory.make().appendingPathComponent("store.sqlite").path)
        case .postgres: return try await PostgresTestDatabase().open()
        }
    }
}

enum TemporaryDirectory {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("replytensor-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

func message(_ id: String, platform: Platform = .telegram, chat: String = "c1", author: String = "u1") -> InboundMessage {
    InboundMessage(platform: platform, id: id, platformMessageID: "p\(id)", chat: ChatRef(id: chat, kind: .group),
                   author: Author(id: author, handle: "h\(author)"), text: "text of \(id) 👋",
                   addressedAs: .mention, replyTo: MessageRef(id: "parent", text: "earlier"),
                   createdAt: Date(timeIntervalSince1970: 1_700_000_000), extras: ["thread": "7"])
}

@Suite("Store contract (memory, SQLite and PostgreSQL)")
struct StoreContractTests {
    @Test("admit inserts once per platform and id, and keeps the whole message", arguments: StoreKind.allCases)
    func admitDeduplicates(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let now = Date()
        let first = try await store.admit([message("1"), message("2"), message("1")], at: now)
        #expect(first.map(\.id) == ["1", "2"])
        let again = try await store.admit([message("2"), message("3"), message("1", platform: .discord)], at: now)
        #expect(again.map(\.key) == [MentionKey(platform: .telegram, id: "3"), MentionKey(platform: .discord, id: "1")])
        let entry = try await store.entry(MentionKey(platform: .telegram, id: "1"))
        #expect(entry?.message == message("1"))
        #expect(entry?.state == .received)
    }

    @Test("the ledger state machine: claim, posting, parts, finish", arguments: StoreKind.allCases)
    func stateMachine(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = message("1").key
        _ = try await store.admit([message("1")], at: Date())
        #expect(try await store.claim(key, at: Date()))
        #expect(try await store.entry(key)?.attempts == 1)
        try await store.beginPosting(key, parts: ["a", "b"], backend: "gateway", at: Date())
        #expect(try await !store.claim(key, at: Date()))
        try await store.recordPosted(key, replyID: "r1", at: Date())
        try await store.recordPosted(key, replyID: "r2", at: Date())
        var entry = try await store.entry(key)
        #expect(entry?.state == .posting)
        #expect(entry?.replyParts == ["a", "b"])
        #expect(entry?.replyIDs == ["r1", "r2"])
        #expect(entry?.backend == "gateway")
        try await store.finish(key, state: .answered, reason: nil, at: Date())
        entry = try await store.entry(key)
        #expect(entry?.state == .answered)
        #expect(try await store.unfinished().isEmpty)
        await #expect(throws: BotError.self) {
            try await store.finish(MentionKey(platform: .telegram, id: "missing"), state: .failed, reason: "x", at: Date())
        }
    }

    @Test("unfinished mentions come back oldest first", arguments: StoreKind.allCases)
    func unfinishedOrder(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let base = Date()
        for index in 0..<5 {
            _ = try await store.admit([message("m\(index)")], at: base.addingTimeInterval(Double(index)))
        }
        _ = try await store.claim(message("m1").key, at: base)
        try await store.finish(message("m2").key, state: .skipped, reason: "x", at: base)
        #expect(try await store.unfinished().map(\.message.id) == ["m0", "m1", "m3", "m4"])
    }

    @Test("reply counts filter by platform, chat, author and time", arguments: StoreKind.allCases)
    func replyCounts(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let now = Date()
        let messages = [message("1", author: "a"), message("2", author: "a", ), message("3", chat: "c2", author: "b"),
                        message("4", platform: .discord, author: "a")]
        _ = try await store.admit(messages, at: now)
        for entry in messages { _ = try await store.claim(entry.key, at: now) }
        try await store.finish(message("2").key, state: .skipped, reason: "limit", at: now)
        #expect(try await store.countReplies(ReplyCountQuery(since: now.addingTimeInterval(-1))) == 3)
        #expect(try await store.countReplies(ReplyCountQuery(platform: .telegram, authorID: "a", since: .distantPast)) == 1)
        #expect(try await store.countReplies(ReplyCountQuery(platform: .telegram, chatID: "c2", since: .distantPast)) == 1)
        #expect(try await store.countReplies(ReplyCountQuery(since: now.addingTimeInterval(1))) == 0)
        let counts = try await store.stateCounts()
        #expect(counts[.telegram]?[.responding] == 2)
        #expect(counts[.telegram]?[.skipped] == 1)
        #expect(counts[.discord]?[.responding] == 1)
        #expect(try await store.recent(in: [.skipped], limit: 10).map(\.message.id) == ["2"])
    }

    @Test("pruning removes only finished mentions older than the cutoff", arguments: StoreKind.allCases)
    func pruning(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let old = Date(timeIntervalSince1970: 1_000)
        _ = try await store.admit([message("old"), message("open")], at: old)
        try await store.finish(message("old").key, state: .answered, reason: nil, at: old)
        _ = try await store.admit([message("new")], at: Date())
        try await store.finish(message("new").key, state: .answered, reason: nil, at: Date())
        #expect(try await store.prune(before: Date(timeIntervalSince1970: 2_000)) == 1)
        #expect(try await store.entry(message("old").key) == nil)
        #expect(try await store.entry(message("open").key) != nil)
        #expect(try await store.entry(message("new").key) != nil)
    }

    @Test("cursors, rate blocks, tokens and adapter state", arguments: StoreKind.allCases)
    func keyValueState(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let now = Date()
        try await store.saveCursors(["offset": "10", "channel:1": "99"], for: .telegram, at: now)
        try await store.saveCursors(["offset": "11"], for: .telegram, at: now)
        #expect(try await store.cursors(for: .telegram) == ["offset": "11", "channel:1": "99"])
        #expect(try await store.cursors(for: .discord).isEmpty)

        try await store.block(RateBlock(platform: .telegram, scope: "chat:5", until: now.addingTimeInterval(30), reason: "429"))
        try await store.block(RateBlock(platform: .telegram, scope: "chat:6", until: now.addingTimeInterval(-1), reason: "old"))
        #expect(try await store.blocks(for: .telegram, activeAt: now).map(\.scope) == ["chat:5"])
        #expect(try await store.blocks(for: nil, activeAt: now.addingTimeInterval(60)).isEmpty)

        try await store.saveToken("twitter.refresh", value: "r1", at: now)
        try await store.saveToken("twitter.refresh", value: "r2", at: now)
        #expect(try await store.token("twitter.refresh") == "r2")
        #expect(try await store.token("nope") == nil)

        try await store.setValue("3", for: "budget.2026-11-25", platform: .twitter, at: now)
        #expect(try await store.value("budget.2026-11-25", for: .twitter) == "3")
        #expect(try await store.values(for: .twitter) == ["budget.2026-11-25": "3"])
        try await store.setValue(nil, for: "budget.2026-11-25", platform: .twitter, at: now)
        #expect(try await store.value("budget.2026-11-25", for: .twitter) == nil)
    }

    @Test("the conversation log finds messages by chat and id and prunes by age", arguments: StoreKind.allCases)
    func conversationLog(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let entry = LoggedMessage(platform: .telegram, chatID: "c", messageID: "m1", parentID: "m0", authorID: "u",
                                  authorName: "@u", fromBot: true, text: "hello", at: Date(timeIntervalSince1970: 100))
        try await store.append(entry)
        #expect(try await store.logged(platform: .telegram, chatID: "c", messageID: "m1") == entry)
        #expect(try await store.logged(platform: .telegram, chatID: "other", messageID: "m1") == nil)
        #expect(try await store.pruneLog(before: Date(timeIntervalSince1970: 200)) == 1)
        #expect(try await store.logged(platform: .telegram, chatID: "c", messageID: "m1") == nil)
    }
}
