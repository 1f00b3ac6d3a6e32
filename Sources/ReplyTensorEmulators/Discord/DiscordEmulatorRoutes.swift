import Foundation
import Hummingbird

/// Turns HTTP requests under `/api/v10` into API calls on the emulator's state: authentication, the required
/// `User-Agent`, rate limits with Discord's headers and 429 bodies, fault injection and recording.
struct DiscordEmulatorRoutes: Sendable {
    let state: DiscordEmulatorState
    let recorder: RequestRecorder
    let faults: FaultPlan

    enum Answer: Sendable {
        case ok(String)
        case noContent
        case error(Int, code: Int, String)
        case invalidForm([String: (String, String)])
        /// The connection breaks before the answer (after the call had its effect).
        case dropped
    }

    typealias Context = EmulatorRequestContext

    /// One admitted call: the bot that made it, the route's major parameter (the channel or guild id), the path
    /// parameters and the request.
    struct Call {
        var bot: DiscordEmulator.User
        var major: String
        var parameters: Parameters
        var record: RecordedRequest

        /// The `{id}` parameter of the route.
        var id: String { parameters.get("id") ?? "" }
    }

    /// The routes under `/api/v10`, each with its rate-limit route (the template `route(method:path:)` gives its
    /// paths). A path under `/api/v10/` that no route has is authenticated, counted and faulted like the others
    /// before its 404.
    func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: RequestRecording(recorder: recorder) { _, context in
            await answer(context, route: nil)
        })
        let api = router.group("api/v10")
        let me = api.group("users/@me")
        me.get(use: endpoint("GET /users/@me") { call in .ok(await state.userJSON(call.bot)) })
        me.get("guilds", use: endpoint("GET /users/@me/guilds") { call in
            .ok(await state.guildList(for: call.bot, query: call.record.query))
        })

        // https://discord.com/developers/docs/events/gateway, "Get Gateway Bot"; resources/application, "Get Current
        // Application" (its `flags` say which privileged intents are enabled).
        api.get("gateway/bot", use: endpoint("GET /gateway/bot") { _ in .ok(await state.gatewayBot()) })
        api.get("applications/@me", use: endpoint("GET /applications/@me") { call in
            .ok(await state.application(for: call.bot))
        })

        let guild = api.group("guilds/{major}")
        guild.get("channels", use: endpoint("GET /guilds/{major}/channels") { call in
            await state.guildChannels(for: call.bot, guildID: call.major)
        })
        guild.get("threads/active", use: endpoint("GET /guilds/{major}/threads/active") { call in
            await state.activeThreads(for: call.bot, guildID: call.major)
        })
        guild.get("roles", use: endpoint("GET /guilds/{major}/roles") { call in
            await state.roles(for: call.bot, guildID: call.major)
        })
        guild.get("members/{id}", use: endpoint("GET /guilds/{major}/members/{id}") { call in
            await state.member(for: call.bot, guildID: call.major, userID: call.id)
        })

        let channel = api.group("channels/{major}")
        channel.get("messages", use: endpoint("GET /channels/{major}/messages") { call in
            await state.channelMessages(for: call.bot, channelID: call.major, query: call.record.query)
        })
        channel.get("messages/{id}", use: endpoint("GET /channels/{major}/messages/{id}") { call in
            await state.singleMessage(for: call.bot, channelID: call.major, messageID: call.id)
        })
        channel.post("messages", use: endpoint("POST /channels/{major}/messages") { call in await create(call) })
        channel.post("typing", use: endpoint("POST /channels/{major}/typing") { call in
            await state.noteTyping(by: call.bot, in: call.major)
        })
        return router
    }

    private func endpoint(_ template: String, _ endpoint: @escaping @Sendable (Call) async -> Answer)
        -> @Sendable (Request, Context) async throws -> Response {
        { _, context in await answer(context, route: template, endpoint) }
    }

    /// `GET /channels/{major}/messages/{id}` for a path, and its major parameter.
    static func route(method: String, path: String) -> (template: String, major: String) {
        var parts: [String] = []
        var major = ""
        let segments = path.split(separator: "/").map(String.init)
        for (index, segment) in segments.enumerated() {
            guard !segment.isEmpty, segment.allSatisfy(\.isNumber) else {
                parts.append(segment)
                continue
            }
            if major.isEmpty, index > 0, ["channels", "guilds", "webhooks"].contains(segments[index - 1]) {
                major = segment
                parts.append("{major}")
            } else {
                parts.append("{id}")
            }
        }
        return ("\(method) /" + parts.joined(separator: "/"), major)
    }

    /// Answers one call: authentication, the required `User-Agent`, the rate limits, the faults to inject, then
    /// `endpoint` when the path's rate-limit route is `template`. A route takes any path segment where Discord takes
    /// only snowflakes, and `template` is nil for a path no route has: both are Discord's 404, counted like any call.
    private func answer(_ context: Context, route template: String?,
                        _ endpoint: (@Sendable (Call) async -> Answer)? = nil) async -> Response {
        let record = context.record
        guard record.path.hasPrefix("/api/v10/") else { return Self.error(404, code: 0, "404: Not Found") }
        if await state.isIPBanned() { return Self.cloudflareBan() }
        let path = String(record.path.dropFirst("/api/v10".count))
        let authorization = record.headers["authorization"] ?? ""
        guard authorization.hasPrefix("Bot "),
              let bot = await state.bots[String(authorization.dropFirst(4))] else {
            return Self.error(401, code: 0, "401: Unauthorized")
        }
        let agent = record.headers["user-agent"] ?? ""
        if !(agent.hasPrefix("DiscordBot (") && agent.hasSuffix(")")) {
            await state.noteBadAgent()
        }
        let (route, major) = Self.route(method: record.method, path: path)
        let decision = await state.admit(botID: bot.id, template: route, major: major)
        if let refusal = decision.refusal {
            var headers = decision.headers
            headers["X-RateLimit-Scope"] = refusal.scope
            if refusal.global { headers["X-RateLimit-Global"] = "true" }
            return Self.tooMany(refusal.retryAfter, global: refusal.global, headers: headers)
        }
        if let fault = await faults.fault(for: record.path) {
            switch fault {
            case .status(let status):
                return Self.error(status, code: 0, Self.standardMessage(status))
            case .rateLimited(let seconds):
                let global = false
                let headers = await state.block(botID: bot.id, template: route, major: major, seconds: seconds,
                                                global: global)
                return Self.tooMany(seconds, global: global, headers: headers)
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            case .malformedJSON:
                return Self.raw(200, "[{\"id\":\"1\",\"content\":", headers: [:])
            case .dropConnection:
                return Self.dropped()
            }
        }
        guard let endpoint, route == template else {
            return Self.response(.error(404, code: 0, "404: Not Found"), headers: decision.headers)
        }
        let call = Call(bot: bot, major: major, parameters: context.parameters, record: record)
        return Self.response(await endpoint(call), headers: decision.headers)
    }

    /// `POST /channels/{major}/messages`.
    private func create(_ call: Call) async -> Answer {
        guard let body = (try? JSONSerialization.jsonObject(with: call.record.body)) as? [String: Any] else {
            return .error(400, code: 50109, "The request body contains invalid JSON.")
        }
        let created = await state.create(by: call.bot, in: call.major, body: body.sendable)
        if case .ok = created, await state.takeDroppedPostAnswer() { return .dropped }
        let delay = await state.postAnswerDelay
        if delay > .zero { try? await Task.sleep(for: delay) }
        return created
    }

    // MARK: Responses

    static func standardMessage(_ status: Int) -> String {
        switch status {
        case 400: return "400: Bad Request"
        case 401: return "401: Unauthorized"
        case 403: return "Missing Permissions"
        case 404: return "404: Not Found"
        case 500: return "500: Internal Server Error"
        case 502: return "502: Bad Gateway"
        case 503: return "503: Service Unavailable"
        default: return "\(status)"
        }
    }

    static func response(_ answer: Answer, headers: [String: String]) -> Response {
        switch answer {
        case .ok(let body): return raw(200, body, headers: headers)
        case .noContent: return Response(status: .noContent, headers: fields(headers))
        case .dropped: return dropped()
        case .error(let status, let code, let message):
            return raw(status, DiscordEmulatorState.json(["code": code, "message": message] as [String: Any]),
                       headers: headers)
        case .invalidForm(let errors):
            var object: [String: Any] = [:]
            for (field, error) in errors {
                object[field] = ["_errors": [["code": error.0, "message": error.1]]]
            }
            return raw(400, DiscordEmulatorState.json(["code": 50035, "message": "Invalid Form Body",
                                                       "errors": object] as [String: Any]), headers: headers)
        }
    }

    static func error(_ status: Int, code: Int, _ message: String) -> Response {
        response(.error(status, code: code, message), headers: [:])
    }

    static func tooMany(_ seconds: Double, global: Bool, headers: [String: String]) -> Response {
        var headers = headers
        headers["Retry-After"] = "\(Int(seconds.rounded(.up)))"
        headers["X-RateLimit-Remaining"] = "0"
        if global { headers["X-RateLimit-Global"] = "true" }
        let body = "{\"message\":\"You are being rate limited.\",\"retry_after\":\(String(format: "%.3f", seconds)),"
            + "\"global\":\(global)}"
        return raw(429, body, headers: headers)
    }

    /// Answers from Discord's own servers pass Google's front end and carry `Via: 1.1 google`; Cloudflare's ban page
    /// does not (discord.py, discord/http.py: a 429 with no `Via` header or a non-JSON body is "Banned by Cloudflare
    /// more than likely").
    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        fields[.via] = "1.1 google"
        for (name, value) in headers {
            if let field = HTTPFields.fieldName(name) { fields[field] = value }
        }
        return fields
    }

    static func raw(_ status: Int, _ body: String, headers: [String: String]) -> Response {
        var fields = fields(headers)
        fields[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: InvalidUTF8.buffer(body)))
    }

    /// Cloudflare's answer to an IP over Discord's invalid-request limit (rate-limits.mdx, "Invalid Request Limit aka
    /// Cloudflare bans": 10,000 401/403/429 answers in 10 minutes → "temporarily restricted from accessing the
    /// Discord API"): a 429 with Cloudflare's HTML error page (error 1015; Cloudflare's "Troubleshooting Cloudflare
    /// 1XXX errors": "1XXX errors appear in the HTML body of the response"), no JSON body, no `Via`, no
    /// `X-RateLimit-*` headers.
    static func cloudflareBan() -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=UTF-8"
        fields[.server] = "cloudflare"
        let body = "<!DOCTYPE html>\n<html><head><title>Access denied | discord.com used Cloudflare to restrict access"
            + "</title></head><body><h1>Error 1015</h1><h2>You are being rate limited</h2><p>The owner of this website "
            + "(discord.com) has banned you temporarily from accessing this website.</p></body></html>\n"
        return Response(status: .tooManyRequests, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Starts a 200 answer and breaks the connection in the middle of the body.
    static func dropped() -> Response {
        DroppedResponse.make(prefix: "[{\"id\":")
    }
}

/// A JSON object crossing into the state actor ([String: Any] is not Sendable; its values here are plain JSON).
struct SendableJSON: @unchecked Sendable {
    // @unchecked: holds only values produced by JSONSerialization (strings, numbers, arrays, dictionaries), which
    // are immutable value trees after parsing.
    let object: [String: Any]
}

extension Dictionary where Key == String, Value == Any {
    var sendable: SendableJSON { SendableJSON(object: self) }
}

extension DiscordEmulatorState {
    func create(by bot: User, in channelID: String, body: SendableJSON) -> DiscordEmulatorRoutes.Answer {
        create(by: bot, in: channelID, body: body.object)
    }

    func noteBadAgent() { limits.violations.badUserAgent += 1 }

    func admit(botID: String, template: String, major: String) -> DiscordEmulatorLimits.Decision {
        limits.admit(botID: botID, template: template, major: major, rates: rates)
    }

    func block(botID: String, template: String, major: String, seconds: Double, global: Bool) -> [String: String] {
        limits.block(botID: botID, template: template, major: major, rates: rates, seconds: seconds, global: global)
    }
}

extension HTTPFields {
    /// The field name for `name`, when it is a valid header name.
    static func fieldName(_ name: String) -> Subscript? { .init(name) }
    typealias Subscript = HTTPFields.Element.Name
}
