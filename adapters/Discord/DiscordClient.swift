import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// Sends requests to the HTTP API through the rate limiter: required headers, 429 and 5xx retries, 401 stop,
/// error answers mapped to `BotError`. The token is redacted from everything.
struct DiscordClient: Sendable {
    let configuration: DiscordConfiguration
    let http: any HTTPClient
    let limiter: DiscordRateLimiter
    let logger: Logger
    /// Keeps the end of a Cloudflare ban hold in the adapter state, so a restart honours it.
    let recordHold: @Sendable (Duration) async -> Void
    /// Several replicas share the store (`AdapterEnvironment.isSharedStore`). The limiter's learned buckets stay per
    /// process: the headers Discord sends already count every replica's requests, since Discord counts per bot token.
    /// But a 429 on a post is not waited out here: it goes back to the engine as a `rateLimited` error, which blocks
    /// its scope in the shared store (`SendGate.block`), so every replica waits it out, not only this one.
    var sharedStore = false
    /// With a shared store: the global limit counted across replicas.
    var sharedGlobal: DiscordSharedGlobalLimit?

    /// The largest answer accepted (100 messages with long texts and embeds stay far below).
    static let maxBodyBytes = 8 << 20

    /// Sends `method path` and returns the successful answer; `nil` only when `waiting` is false and a limit would
    /// have made the request wait.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
              delivery: BotError.Delivery = .notDelivered, waiting: Bool = true) async throws -> HTTPResponse? {
        let route = DiscordRoute(method: method, path: path)
        var url = configuration.apiBase + path
        if !query.isEmpty { url += "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
        var headers: HTTPHeaders = ["Authorization": "Bot \(configuration.token)",
                                    "User-Agent": configuration.userAgent]
        if body != nil { headers.set("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                  timeout: .seconds(30), maxBodyBytes: Self.maxBodyBytes,
                                  redactions: [configuration.token])
        var tries = 0
        while true {
            tries += 1
            guard let ticket = try await limiter.acquire(route, waiting: waiting) else { return nil }
            if let sharedGlobal {
                let started: Bool
                do { started = try await sharedGlobal.acquire(waiting: waiting) } catch {
                    await limiter.complete(ticket, status: nil, headers: [:])
                    throw error
                }
                guard started else {
                    await limiter.complete(ticket, status: nil, headers: [:])
                    return nil
                }
            }
            let response: HTTPResponse
            do {
                response = try await http.execute(request)
            } catch {
                await limiter.complete(ticket, status: nil, headers: [:])
                let mapped = map(error, method: method, path: path, delivery: delivery)
                if mapped.code == .transport, tries < configuration.maxTries, waiting {
                    try await pause(tries)
                    continue
                }
                throw mapped
            }
            let lowered = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) },
                                     uniquingKeysWith: { first, _ in first })
            if response.status == 429 {
                let shared = sharedStore && delivery == .unknown  // a post, in a shared store
                try await rateLimited(response, headers: lowered, ticket: ticket, method: method, route: route,
                                      retry: tries < configuration.maxTries && waiting && !shared)
                continue
            }
            await limiter.complete(ticket, status: response.status, headers: lowered)
            if response.isSuccess { return response }
            let failure = DiscordCoding.decoder().decodeIfPossible(DiscordErrorBody.self, from: response.body)
            let detail = failure?.message.map { "\($0)\(failure?.code.map { " (code \($0))" } ?? "")" }
                ?? "HTTP \(response.status)"
            switch response.status {
            case 401:
                let reason = "Discord rejected the bot token (401 Unauthorized): check \(configuration.tokenSource)"
                await limiter.stop(reason)
                throw BotError(.platformStopped, reason, platform: .discord, httpStatus: 401)
            case 500...599:
                if tries < configuration.maxTries && waiting {
                    logger.warning("Discord answered \(response.status); retrying",
                                   metadata: ["http.route": "\(route.template)", "http.status": "\(response.status)"])
                    try await pause(tries)
                    continue
                }
                throw BotError(.platform, "\(method) \(route.template): \(detail)", platform: .discord,
                               httpStatus: response.status, delivery: delivery)
            case 403:
                throw BotError(.forbidden, "\(method) \(route.template): \(detail)", platform: .discord,
                               httpStatus: 403, isPermanent: true)
            default:
                throw BotError(.platform, "\(method) \(route.template): \(detail)", platform: .discord,
                               httpStatus: response.status, isPermanent: (400..<500).contains(response.status))
            }
        }
    }

    /// A 429. Discord's own (a JSON body with `retry_after`) is learnt by the limiter and retried while `retry`;
    /// anything else is Cloudflare's IP ban. Returns to try again; throws otherwise.
    private func rateLimited(_ response: HTTPResponse, headers: [String: String], ticket: DiscordRateLimiter.Ticket,
                             method: String, route: DiscordRoute, retry: Bool) async throws {
        guard let limit = DiscordCoding.decoder().decodeIfPossible(DiscordRateLimitBody.self, from: response.body),
              let retryAfter = limit.retryAfter else {
            throw await banned(headers: headers, ticket: ticket, route: route)
        }
        // The global limit: `"global": true` in the body, or `X-RateLimit-Global` / `X-RateLimit-Scope: global`
        // (https://discord.com/developers/docs/topics/rate-limits#header-format: `X-RateLimit-Scope`, sent on 429
        // answers, is `user` (a per-route limit), `global` (the bot's global limit) or `shared` (a resource's)).
        // A global 429 comes back with scope "global", which the engine blocks for the whole platform.
        let global = limit.global == true || headers["x-ratelimit-global"] == "true"
            || headers["x-ratelimit-scope"] == "global"
        await limiter.complete(ticket, status: 429, headers: headers, retryAfter: retryAfter, global: global)
        logger.notice("rate limited by Discord",
                      metadata: ["http.route": "\(route.template)", "retry_after": "\(retryAfter)",
                                 "global": "\(global)", "scope": "\(headers["x-ratelimit-scope"] ?? "-")"])
        if retry { return }
        throw BotError(.rateLimited, "\(method) \(route.template): rate limited (retry after \(retryAfter) s)",
                       platform: .discord, httpStatus: 429,
                       retryAfter: .milliseconds(Int64((retryAfter * 1000).rounded(.up))),
                       scope: global ? "global" : (route.major.isEmpty ? "global" : "chat:\(route.major)"))
    }

    /// Cloudflare's ban of this IP (rate-limits.mdx, "Invalid Request Limit aka Cloudflare bans"): a 429 that is
    /// not Discord's JSON (an HTML page, and no `Via` header since it never reached Discord's servers; discord.py
    /// treats it the same way). Retrying would only prolong it: every request stops for `cloudflareBanHold`.
    private func banned(headers: [String: String], ticket: DiscordRateLimiter.Ticket, route: DiscordRoute) async
        -> BotError {
        await limiter.complete(ticket, status: nil, headers: [:])
        let hold = configuration.cloudflareBanHold
        let reason = "Cloudflare banned this IP from Discord's API (a 429 without Discord's JSON body, "
            + (headers["via"].map { "Via: \($0)" } ?? "no Via header")
            + "); every Discord request stops for \(Int(hold.seconds)) s"
        await limiter.hold(for: hold, reason: reason)
        await recordHold(hold)
        let advice = "Cloudflare banned this IP from Discord's API: too many invalid requests (401, 403 or 429 "
            + "answers) came from it. Every Discord request stops for the hold and the bot resumes by itself; "
            + "restarting does not shorten it. What to do: make sure no other process on this IP uses Discord with a "
            + "wrong token or ignores rate limits; if bans repeat, ask Discord at https://dis.gd/rate-limit"
        logger.error("\(advice)", metadata: ["http.route": "\(route.template)", "hold_seconds": "\(Int(hold.seconds))",
                                "content_type": "\(headers["content-type"] ?? "-")",
                                "via": "\(headers["via"] ?? "-")"])
        return BotError(.rateLimited, reason, platform: .discord, httpStatus: 429, retryAfter: hold, scope: "global")
    }

    /// Sends and decodes a JSON answer. A malformed answer is a `decoding` error (logged and skipped by callers).
    func get<Value: Decodable>(_ path: String, query: [(String, String)] = [], as _: Value.Type) async throws
        -> Value {
        let response = try await send("GET", path, query: query)!
        return try decode(response, path: path, as: Value.self)
    }

    /// Invalid UTF-8 is repaired (logged, not rejected: the answer is still read as a whole); an answer that is not
    /// a `Value` is a `decoding` error.
    func decode<Value: Decodable>(_ response: HTTPResponse, path: String, as _: Value.Type) throws -> Value {
        var reader = AnswerReader(.init(answer: "answer"), logger: logger,
                                  metadata: ["http.route": "GET \(DiscordRoute(method: "GET", path: path).template)"],
                                  reportsRepair: false)
        do {
            return try reader.decode(Value.self, from: response.body, using: DiscordCoding.decoder())
        } catch {
            throw BotError(.decoding, "GET \(DiscordRoute(method: "GET", path: path).template): malformed answer "
                               + "(\(DiscordCoding.describe(error)), \(response.body.count) bytes)",
                           platform: .discord, httpStatus: response.status)
        }
    }

    /// The reader of message pages' elements: each malformed message is logged and rejected.
    func messagesReader() -> AnswerReader {
        AnswerReader(.init(answer: "message page", element: "message", idKey: "discord.message_id"), logger: logger)
    }

    private func map(_ error: any Error, method: String, path: String, delivery: BotError.Delivery) -> BotError {
        let template = DiscordRoute(method: method, path: path).template
        switch error {
        case let error as HTTPClientError:
            var mapped = BotError(error, platform: .discord, delivery: delivery)
            mapped.message = Redaction.apply([configuration.token], to: "\(template): \(mapped.message)")
            return mapped
        case is CancellationError:
            return BotError(.cancelled, "\(template): cancelled", platform: .discord, delivery: delivery)
        case let error as BotError:
            return error
        default:
            return BotError(.transport, Redaction.apply([configuration.token], to: "\(template): \(error)"),
                            platform: .discord, delivery: delivery)
        }
    }

    /// Between tries: about 0.5 s, 1 s, 2 s, … at most 8 s, each within ±25 %.
    static let retryBackoff = Backoff(initial: .milliseconds(500), maximum: .seconds(8), jitter: 0.75...1.25)

    /// The pause after try number `tries` (1 for the first).
    private func pause(_ tries: Int) async throws {
        try await Task.sleep(for: Self.retryBackoff.delay(forFailure: tries - 1))
    }
}

extension JSONDecoder {
    func decodeIfPossible<Value: Decodable>(_ type: Value.Type, from data: Data) -> Value? {
        try? decode(type, from: data)
    }
}
