import Foundation
import Logging
import ReplyTensorHTTP

/// The one path from a platform's answer to what the bot can use, shared by every adapter's client:
///
/// 1. **repair**: bytes that are not valid UTF-8 become U+FFFD (`Data.repairedUTF8`) instead of losing the whole
///    answer; the repair is logged and, for a polled page, reported as `invalid UTF-8` rejected input;
/// 2. **lenient decode**: the body is decoded; lists hold `LenientElement`s (or the platform's own lenient slots),
///    so one malformed element does not cost the page;
/// 3. **rejected input**: an answer that cannot be read at all (`malformed <answer>`) and each malformed element
///    (`malformed <element>`) is logged and kept in `rejected`, for the engine to count and skip.
public struct AnswerReader: Sendable {
    /// How one kind of answer and the elements of its list are named in logs and rejected input.
    public struct Names: Sendable {
        /// The answer, e.g. `getUpdates answer`: "<answer> is not valid UTF-8", rejected as "malformed <answer>".
        public var answer: String
        /// One element of its list, e.g. `update`: logged as "malformed <element> skipped", rejected as
        /// "malformed <element>".
        public var element: String
        /// The log metadata key of an element's id, e.g. `telegram.update_id`.
        public var idKey: String
        /// Written before an element's id in a rejection's detail, e.g. `update ` (empty for none).
        public var idPrefix: String

        public init(answer: String, element: String = "element", idKey: String = "id", idPrefix: String = "") {
            self.answer = answer
            self.element = element
            self.idKey = idKey
            self.idPrefix = idPrefix
        }
    }

    public let names: Names
    public let logger: Logger
    /// Added to the repair warning (e.g. the route).
    public let metadata: Logger.Metadata
    /// Whether a repair is reported as rejected input too (a polled page), or only logged.
    public let reportsRepair: Bool
    /// What was rejected so far, in order.
    public private(set) var rejected: [RejectedInput] = []

    public init(_ names: Names, logger: Logger, metadata: Logger.Metadata = [:], reportsRepair: Bool = true) {
        self.names = names
        self.logger = logger
        self.metadata = metadata
        self.reportsRepair = reportsRepair
    }

    /// `body`, or a copy with every invalid UTF-8 sequence replaced by U+FFFD (logged, and reported when
    /// `reportsRepair`).
    public mutating func repaired(_ body: Data) -> Data {
        guard let repaired = body.repairedUTF8 else { return body }
        logger.warning("\(names.answer) is not valid UTF-8; bad bytes replaced with U+FFFD", metadata: metadata)
        if reportsRepair {
            rejected.append(RejectedInput(reason: "invalid UTF-8", detail: "\(names.answer) repaired"))
        }
        return repaired
    }

    /// The repaired body decoded as `Value`; the decoder's error when it is not one (nothing is rejected: the
    /// caller decides what an unreadable answer means).
    public mutating func decode<Value: Decodable>(_ type: Value.Type, from body: Data,
                                                  using decoder: JSONDecoder) throws -> Value {
        try decoder.decode(type, from: repaired(body))
    }

    /// The repaired body decoded as `Value`, or nil when it cannot be read: then `malformed <answer>` is rejected
    /// with `describe(error)` and `message` is logged (with the reason as `error`, and `metadata`).
    public mutating func read<Value: Decodable>(_ type: Value.Type, from body: Data, using decoder: JSONDecoder,
                                                describe: (any Error) -> String = { "\($0)" },
                                                unreadable message: Logger.Message,
                                                metadata: Logger.Metadata = [:]) -> Value? {
        do {
            return try decode(type, from: body, using: decoder)
        } catch {
            let reason = describe(error)
            logger.warning(message, metadata: metadata.merging(["error": "\(reason)"]) { $1 })
            rejected.append(RejectedInput(reason: "malformed \(names.answer)", detail: reason))
            return nil
        }
    }

    /// Skips one malformed element of the answer's list: logged, and rejected as `malformed <element>`.
    public mutating func skip(id: String?, reason: String) {
        let id = id ?? "?"
        logger.warning("malformed \(names.element) skipped", metadata: [names.idKey: "\(id)", "error": "\(reason)"])
        rejected.append(RejectedInput(reason: "malformed \(names.element)", detail: "\(names.idPrefix)\(id): \(reason)"))
    }

    /// The readable elements of a lenient list, in order; each malformed one is skipped (see `skip`), its reason
    /// given by `describe`.
    public mutating func values<Value>(of slots: [LenientElement<Value>],
                                       describe: (any Error) -> String = { "\($0)" }) -> [Value] {
        var values: [Value] = []
        for slot in slots {
            switch slot {
            case .value(let value): values.append(value)
            case .invalid(let id, let error): skip(id: id, reason: describe(error))
            }
        }
        return values
    }
}
