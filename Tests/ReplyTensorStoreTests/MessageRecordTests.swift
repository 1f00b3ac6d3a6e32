import Foundation
import ReplyTensorCore
@testable import ReplyTensorStore
import Testing

@Suite("Ledger message records")
struct MessageRecordTests {
    static func sample(_ index: Int) -> InboundMessage {
        let texts = ["", "plain", "emoji 👋🏽 and RTL ‏עברית‎", String(repeating: "long ", count: 500), "nul \u{0} inside"]
        let author = Author(id: "u\(index)", handle: index % 2 == 0 ? "h\(index)" : nil,
                            displayName: index % 3 == 0 ? "Näme \(index)" : nil, isBot: index % 5 == 0)
        let reply = index % 4 == 0 ? nil
            : MessageRef(id: "p\(index)", author: index % 2 == 0 ? author : nil, text: index % 3 == 0 ? nil : "parent ✓")
        return InboundMessage(
            platform: [.telegram, .discord, .twitter, Platform(rawValue: "custom")][index % 4], id: "m\(index)",
            platformMessageID: "pm\(index)",
            chat: ChatRef(id: "-100\(index)", kind: [.direct, .group, .channel, .thread, .timeline][index % 5],
                          threadID: index % 2 == 0 ? "t\(index)" : nil, title: index % 3 == 0 ? "Gröup" : nil),
            author: author, text: texts[index % texts.count],
            addressedAs: [.mention, .reply, .command, .direct, .roleMention][index % 5], replyTo: reply,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123_456 + Double(index)),
            extras: index % 2 == 0 ? [:] : ["thread": "7", "zeta": "last", "ключ": "значение"])
    }

    @Test("every field survives a record round trip, on its own and through the store")
    func roundTrip() async throws {
        for index in 0..<60 {
            let message = Self.sample(index)
            #expect(try MessageRecord.decode(MessageRecord.encode(message)) == message)
        }
        let store = try SQLiteStore(path: try TemporaryDirectory.make().appendingPathComponent("r.sqlite").path)
        let messages = (0..<60).map(Self.sample)
        _ = try await store.admit(messages, at: Date())
        for message in messages { #expect(try await store.entry(message.key)?.message == message) }
    }

    @Test("a truncated, extended or foreign record is a storage error, never a crash")
    func malformed() throws {
        let record = MessageRecord.encode(Self.sample(7))
        for cut in [0, 1, 5, record.count / 2, record.count - 1] {
            #expect(throws: BotError.self) { try MessageRecord.decode(record.prefix(cut)) }
        }
        #expect(throws: BotError.self) { try MessageRecord.decode(record + Data([0])) }
        var foreign = record
        foreign[0] = 2
        #expect(throws: BotError.self) { try MessageRecord.decode(foreign) }
        // A length far beyond the record.
        #expect(throws: BotError.self) { try MessageRecord.decode(Data([1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var noise = record
            noise[Int.random(in: 1..<noise.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? MessageRecord.decode(noise)
        }
    }
}
