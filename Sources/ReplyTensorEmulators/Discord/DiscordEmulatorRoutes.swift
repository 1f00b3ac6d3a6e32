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
    }

    func handle(_ request: Request) async throws -> Response {
        var record = try await RecordedRequest.read(request)
        let response = await answer(record)
        record.status = response.status.code
        await recorder.record(record)
        return response
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

    private func answer(_ record: RecordedRequest) async -> Response {
        guard record.path.hasPrefix("/api/v10/") else { return Self.error(404, code: 0, "404: Not Found") }
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
        let (template, major) = Self.route(method: record.method, path: path)
        let decision = await state.admit(botID: bot.id, template: template, major: major)
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
                let headers = await state.block(botID: bot.id, template: template, major: major, seconds: seconds,
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
        let result = await dispatch(template: template, major: major, path: path, record: record, bot: bot)
        return Self.response(result, headers: decision.headers)
    }

    private func dispatch(template: String, major: String, path: String, record: RecordedRequest,
                          bot: DiscordEmulator.User) async -> Answer {
        let segments = path.split(separator: "/").map(String.init)
        switch template {
        case "GET /users/@me":
            return .ok(await state.userJSON(bot))
        case "GET /users/@me/guilds":
            return .ok(await state.guildList(for: bot))
        case "GET /guilds/{major}/channels":
            return await state.guildChannels(for: bot, guildID: major)
        case "GET /guilds/{major}/threads/active":
            return await state.activeThreads(for: bot, guildID: major)
        case "GET /guilds/{major}/roles":
            return await state.roles(for: bot, guildID: major)
        case "GET /guilds/{major}/members/{id}":
            return await state.member(for: bot, guildID: major, userID: segments[3])
        case "GET /channels/{major}/messages":
            return await state.channelMessages(for: bot, channelID: major, query: record.query)
        case "GET /channels/{major}/messages/{id}":
            return await state.singleMessage(for: bot, channelID: major, messageID: segments[3])
        case "POST /channels/{major}/messages":
            guard let body = (try? JSONSerialization.jsonObject(with: record.body)) as? [String: Any] else {
                return .error(400, code: 50109, "The request body contains invalid JSON.")
            }
            let created = await state.create(by: bot, in: major, body: body.sendable)
            let delay = await state.postAnswerDelay
            if delay > .zero { try? await Task.sleep(for: delay) }
            return created
        case "POST /channels/{major}/typing":
            return await state.noteTyping(by: bot, in: major)
        default:
            return .error(404, code: 0, "404: Not Found")
        }
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

    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
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
