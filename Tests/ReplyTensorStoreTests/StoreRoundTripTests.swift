import Foundation
import ReplyTensorCore
import ReplyTensorStore
import Testing

/// The combined transitions that keep a mention to a few round trips, on every store.
@Suite("Store round trips (memory, SQLite and PostgreSQL)")
struct StoreRoundTripTests {
    static func logged(_ id: String, parent: String?, fromBot: Bool = false, author: String = "u1",
                       chat: String = "c1") -> LoggedMessage {
        LoggedMessage(platform: .telegram, chatID: chat, messageID: id, parentID: parent, authorID: fromBot ? "self" : author,
                      authorName: "n", fromBot: fromBot, text: "text \(id)", at: Date(timeIntervalSince1970: 1_000))
    }

    @Test("a claim logs the mention with it; a refused claim logs nothing", arguments: StoreKind.allCases)
    func claimLogs(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = message("1").key
        _ = try await store.admit([message("1")], at: Date())
        #expect(try await store.claim(key, at: Date(), logging: Self.logged("p1", parent: nil)))
        #expect(try await store.logged(platform: .telegram, chatID: "c1", messageID: "p1")?.text == "text p1")
        try await store.finish(key, state: .answered, reason: nil, at: Date())
        #expect(try await !store.claim(key, at: Date(), logging: Self.logged("p2", parent: nil)))
        #expect(try await store.logged(platform: .telegram, chatID: "c1", messageID: "p2") == nil)
    }

    @Test("the last part's record logs it and answers the mention; earlier parts keep it posting",
          arguments: StoreKind.allCases)
    func recordAnswers(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = message("1").key
        _ = try await store.admit([message("1")], at: Date())
        _ = try await store.claim(key, at: Date())
        try await store.beginPosting(key, parts: ["a", "b"], backend: "gateway", at: Date())
        try await store.recordPosted(key, replyID: "r1", logging: Self.logged("r1", parent: "p1", fromBot: true),
                                     answered: false, at: Date())
        #expect(try await store.entry(key)?.state == .posting)
        try await store.recordPosted(key, replyID: "r2", logging: Self.logged("r2", parent: "p1", fromBot: true),
                                     answered: true, at: Date())
        let entry = try await store.entry(key)
        #expect(entry?.state == .answered)
        #expect(entry?.replyIDs == ["r1", "r2"])
        #expect(try await store.logged(platform: .telegram, chatID: "c1", messageID: "r2")?.fromBot == true)
        await #expect(throws: BotError.self) {
            try await store.recordPosted(MentionKey(platform: .telegram, id: "missing"), replyID: "x", logging: nil,
                                         answered: true, at: Date())
        }
    }

    @Test("a reply chain comes back nearest first, up to the limit, stopping at a message the log lacks",
          arguments: StoreKind.allCases)
    func chain(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        // m1 ← m2 (bot) ← m3 ← m4 (bot) ← m5; m0 (m1's parent) was never logged; another chat has an m3 too.
        try await store.append(Self.logged("m1", parent: "m0"))
        try await store.append(Self.logged("m2", parent: "m1", fromBot: true))
        try await store.append(Self.logged("m3", parent: "m2"))
        try await store.append(Self.logged("m4", parent: "m3", fromBot: true))
        try await store.append(Self.logged("m5", parent: "m4"))
        try await store.append(Self.logged("m3", parent: nil, chat: "c2"))
        let all = try await store.chain(platform: .telegram, chatID: "c1", from: "m5", limit: 64)
        #expect(all.map(\.messageID) == ["m5", "m4", "m3", "m2", "m1"])
        #expect(all.map(\.fromBot) == [false, true, false, true, false])
        #expect(try await store.chain(platform: .telegram, chatID: "c1", from: "m4", limit: 2).map(\.messageID)
                == ["m4", "m3"])
        #expect(try await store.chain(platform: .telegram, chatID: "c2", from: "m3", limit: 64).map(\.messageID) == ["m3"])
        #expect(try await store.chain(platform: .telegram, chatID: "c1", from: "m0", limit: 64).isEmpty)
        #expect(try await store.chain(platform: .discord, chatID: "c1", from: "m5", limit: 64).isEmpty)
    }

    @Test("posting marks arriving together are committed durably, each on its own: a missing row fails only itself")
    func groupCommit() async throws {
        let store = try await StoreKind.sqlite.make()
        let messages = (0..<64).map { message("g\($0)") }
        _ = try await store.admit(messages, at: Date())
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for id in messages.map(\.id) + ["missing-1", "missing-2"] {
                group.addTask {
                    do {
                        try await store.beginPosting(MentionKey(platform: .telegram, id: id), parts: ["answer \(id)"],
                                                     backend: "gateway", at: Date())
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            var outcomes: [String: Bool] = [:]
            for await (id, succeeded) in group { outcomes[id] = succeeded }
            return outcomes
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == ["missing-1", "missing-2"])
        for message in messages {
            let entry = try await store.entry(message.key)
            #expect(entry?.state == .posting)
            #expect(entry?.replyParts == ["answer \(message.id)"])
        }
    }
}
