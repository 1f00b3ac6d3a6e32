import Foundation
import GRDB
import ReplyTensorCore

/// How a ledger row is stored: the message as a binary record (`MessageRecord`; rows written before it hold JSON
/// with sorted keys and dates in seconds), reply ids and parts as JSON arrays, times as seconds since 1970. Coders are
/// made once; an empty array is not run through the decoder.
enum LedgerCoding {
    /// The columns an entry is read from, in the order `entry(_:)` reads them.
    static let columns = "message, state, attempts, reason, reply_ids, reply_parts, backend, admitted_at, updated_at, claimed_at"

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    static func strings(_ text: String) throws -> [String] {
        text == "[]" ? [] : try decode([String].self, text)
    }

    /// The message of a row: a binary record, or JSON text in rows written before records.
    static func message(_ value: DatabaseValue) throws -> InboundMessage {
        switch value.storage {
        case .blob(let record): return try MessageRecord.decode(record)
        case .string(let json): return try decode(InboundMessage.self, json)
        default: throw BotError(.storage, "a ledger row holds no message")
        }
    }

    /// An entry from a row selected with `columns`.
    static func entry(_ row: Row) throws -> LedgerEntry {
        let claimed: Double? = row[9]
        return LedgerEntry(
            message: try message(row[0]),
            state: MentionState(rawValue: row[1]) ?? .failed,
            attempts: row[2], reason: row[3],
            replyIDs: try strings(row[4]), replyParts: try strings(row[5]),
            backend: row[6],
            admittedAt: Date(timeIntervalSince1970: row[7]),
            updatedAt: Date(timeIntervalSince1970: row[8]),
            claimedAt: claimed.map { Date(timeIntervalSince1970: $0) })
    }
}
