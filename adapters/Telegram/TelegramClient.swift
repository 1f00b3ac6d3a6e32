import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// An error answer of the Bot API, before it becomes a `BotError`.
struct TelegramAPIFailure: Error, Sendable {
    var status: Int
    /// Telegram's `description`, scrubbed of the token.
    var description: String
    var retryAfter: Int?
    var migrateToChatID: Int64?
}

/// Calls Bot API methods: builds the URL with the token (redacted everywhere), encodes the body, decodes the
/// envelope. Transport and decoding failures throw `BotError`; API error answers come back as `TelegramAPIFailure`.
struct TelegramClient: Sendable {
    var configuration: TelegramConfiguration
    var http: any HTTPClient
    /// Requests and answers are logged at trace level, with the token redacted.
    var logger: Logger

    /// The largest answer accepted (100 updates with long texts and captions stay far below).
    static let maxBodyBytes = 8 << 20

    func url(_ method: String) -> String { "\(configuration.apiBase)/bot\(configuration.token)/\(method)" }

    /// Removes the token from any text that may end up in a log or an error.
    func scrub(_ text: String) -> String {
        var secrets = [configuration.token]
        // The part after the colon is the secret part; never show it alone either.
        if let colon = configuration.token.firstIndex(of: ":") {
            let tail = String(configuration.token[configuration.token.index(after: colon)...])
            if tail.count >= 8 { secrets.append(tail) }
        }
        return Redaction.apply(secrets, to: text)
    }

    /// Executes `request`, logging it and its answer at trace level (the token redacted).
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        logger.trace("request", metadata: ["http.method": "\(request.method)", "http.url": "\(request.redactedURL)",
                                           "http.body_bytes": "\(request.body?.count ?? 0)"])
        let response = try await http.execute(request)
        logger.trace("response", metadata: ["http.url": "\(request.redactedURL)", "http.status": "\(response.status)",
                                            "http.body_bytes": "\(response.body.count)"])
        return response
    }

    /// Sends `method` with `body`; `delivery` is what a transport failure means for the request's effect.
    func call<Body: Encodable, Result: Decodable>(
        _ method: String, _ body: Body, as _: Result.Type, timeout: Duration = .seconds(30),
        delivery: BotError.Delivery = .notDelivered
    ) async throws -> Swift.Result<Result, TelegramAPIFailure> {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data: Data
        do {
            data = try encoder.encode(body)
        } catch {
            throw BotError(.config, "cannot encode \(method) request: \(error)", platform: .telegram)
        }
        let request = HTTPRequest(method: "POST", url: url(method), headers: ["Content-Type": "application/json"],
                                  body: data, timeout: timeout, maxBodyBytes: Self.maxBodyBytes,
                                  redactions: [configuration.token])
        let response: HTTPResponse
        do {
            response = try await execute(request)
        } catch let error as HTTPClientError {
            var mapped = BotError(error, platform: .telegram, delivery: delivery)
            mapped.message = scrub("\(method): \(mapped.message)")
            throw mapped
        } catch is CancellationError {
            throw BotError(.cancelled, "\(method): cancelled", platform: .telegram, delivery: delivery)
        } catch {
            throw BotError(.transport, scrub("\(method): \(error)"), platform: .telegram, delivery: delivery)
        }
        do {
            return try decode(response, method: method, as: Result.self)
        } catch var error as BotError {
            // A success answer we cannot read: the request did take effect.
            error.delivery = response.isSuccess ? .unknown : delivery
            throw error
        }
    }

    /// The reader of `getUpdates` pages: invalid UTF-8 repaired, an unreadable page and malformed updates rejected.
    func updatesReader() -> AnswerReader {
        AnswerReader(.init(answer: "getUpdates answer", element: "update", idKey: "telegram.update_id",
                           idPrefix: "update "), logger: logger)
    }

    /// A `getUpdates` answer read through `reader` (see `updatesReader`); nil when it is not readable at all.
    func readUpdates(_ response: HTTPResponse, with reader: inout AnswerReader)
        -> TelegramEnvelope<[TelegramUpdateSlot]>? {
        reader.read(TelegramEnvelope<[TelegramUpdateSlot]>.self, from: response.body,
                    using: TelegramDecoding.decoder(), describe: TelegramDecoding.describe,
                    unreadable: "getUpdates answer is not valid JSON; offset kept",
                    metadata: ["http.bytes": "\(response.body.count)"])
    }

    /// Decodes a complete answer.
    func decode<Result: Decodable>(_ response: HTTPResponse, method: String, as _: Result.Type) throws
        -> Swift.Result<Result, TelegramAPIFailure> {
        let decoder = TelegramDecoding.decoder()
        // Bad bytes in an echoed message (e.g. `reply_to_message`) must not make a delivered post look lost.
        let body = response.body.repairedUTF8 ?? response.body
        if response.isSuccess, let envelope = try? decoder.decode(TelegramEnvelope<Result>.self, from: body),
           envelope.ok, let result = envelope.result {
            return .success(result)
        }
        if let envelope = try? decoder.decode(TelegramErrorEnvelope.self, from: body),
           envelope.ok == false || !response.isSuccess {
            let status = envelope.errorCode ?? (response.isSuccess ? 400 : response.status)
            let description = scrub(envelope.description ?? "HTTP \(response.status)")
            var retryAfter = envelope.parameters?.retryAfter
            if status == 429, retryAfter == nil { retryAfter = Self.retryAfter(in: description) }
            return .failure(TelegramAPIFailure(status: status, description: description, retryAfter: retryAfter,
                                               migrateToChatID: envelope.parameters?.migrateToChatId))
        }
        if !response.isSuccess {
            // Not the Bot API's JSON (a proxy's HTML page, an empty body): keep the status and a short excerpt.
            let excerpt = scrub(String(response.text.prefix(200)))
                .trimmingWhitespace().replacingOccurrences(of: "\n", with: " ")
            let description = excerpt.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(excerpt)"
            var retryAfter: Int?
            if response.status == 429 { retryAfter = response.headers["Retry-After"].flatMap { Int($0) } }
            return .failure(TelegramAPIFailure(status: response.status, description: description,
                                               retryAfter: retryAfter, migrateToChatID: nil))
        }
        throw BotError(.decoding, "\(method): malformed answer from Telegram (\(response.body.count) bytes)",
                       platform: .telegram, httpStatus: response.status)
    }

    /// "Too Many Requests: retry after 7" → 7.
    static func retryAfter(in description: String) -> Int? {
        guard let range = description.range(of: "retry after ", options: .caseInsensitive) else { return nil }
        return Int(description[range.upperBound...].prefix(while: \.isNumber))
    }
}

extension TelegramAPIFailure {
    /// The `BotError` for this answer. `scope` is where a 429 applies (`chat:<id>` or `global`).
    func botError(method: String, scope: String, tokenSource: String) -> BotError {
        switch status {
        case 401:
            return BotError(.platformStopped,
                            "Telegram rejected the bot token (401 Unauthorized): check \(tokenSource)",
                            platform: .telegram, httpStatus: 401)
        case 404:
            return BotError(.platformStopped,
                            "Telegram answered 404 Not Found to \(method): the bot token is malformed or api_base "
                                + "is wrong (check \(tokenSource))",
                            platform: .telegram, httpStatus: 404, stopCause: .misconfigured)
        case 403:
            return BotError(.forbidden, "\(method): \(description)", platform: .telegram, httpStatus: 403,
                            isPermanent: true)
        case 429:
            let wait = Duration.seconds(max(1, retryAfter ?? 1))
            return BotError(.rateLimited, "\(method): \(description)", platform: .telegram, httpStatus: 429,
                            retryAfter: wait, scope: scope)
        case 409:
            return BotError(.platform, "\(method): \(description)", platform: .telegram, httpStatus: 409)
        case 400..<500:
            return BotError(.platform, "\(method): \(description)", platform: .telegram, httpStatus: status,
                            isPermanent: true)
        default:
            return BotError(.platform, "\(method): \(description)", platform: .telegram, httpStatus: status)
        }
    }
}
