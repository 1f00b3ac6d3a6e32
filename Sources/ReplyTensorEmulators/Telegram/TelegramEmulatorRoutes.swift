import Foundation
import Hummingbird

/// Turns HTTP requests into Bot API calls on the emulator's state.
struct TelegramEmulatorRoutes: Sendable {
    let state: TelegramEmulatorState
    let recorder: RequestRecorder
    let faults: FaultPlan

    typealias Context = EmulatorRequestContext
    typealias Params = TelegramEmulator.Params

    /// `/bot<token>/<method>`: every method by GET or POST, its name in any case (the router is case-insensitive).
    func router() -> Router<Context> {
        let router = Router(context: Context.self, options: .caseInsensitive)
        router.add(middleware: RequestRecording(recorder: recorder) { _, _ in Self.error(404, "Not Found") })
        let bot = router.group("bot{token}")
        method(bot, "getMe") { _ in Self.ok(TelegramEmulatorState.json(state.bot)) }
        method(bot, "getUpdates") { params in await getUpdates(params) }
        method(bot, "sendMessage", actsOnArrival: true) { params in Self.response(await state.sendMessage(params)) }
        method(bot, "sendChatAction", actsOnArrival: true) { params in
            Self.response(await state.sendChatAction(params))
        }
        method(bot, "deleteWebhook") { params in
            await state.deleteWebhook(dropPending: params["drop_pending_updates"]?.bool ?? false)
            return Self.ok("true")
        }
        method(bot, "setWebhook") { params in
            let url = params["url"]?.string ?? ""
            await state.setWebhook(url.isEmpty ? nil : url)
            return Self.ok("true")
        }
        method(bot, "getWebhookInfo") { _ in
            let url = await state.webhookURL ?? ""
            let pending = await state.pendingUpdateCount
            return Self.ok("{\"url\":\(TelegramEmulatorState.json(url)),\"has_custom_certificate\":false,"
                + "\"pending_update_count\":\(pending)}")
        }
        // A method the Bot API does not have: checked like the others (token, parameters, faults), then 404.
        method(bot, "*") { _ in Self.error(404, "Not Found") }
        return router
    }

    /// Routes `GET` and `POST` of one Bot API method to `call`.
    /// - Parameter actsOnArrival: Telegram acts on (and counts) the request when it arrives, so a stalled answer
    ///   comes after the method took effect.
    private func method(_ bot: RouterGroup<Context>, _ name: RouterPath, actsOnArrival: Bool = false,
                        _ call: @escaping @Sendable (Params) async -> Response) {
        let handler: @Sendable (Request, Context) async throws -> Response = { request, context in
            await answer(context, contentType: request.headers[.contentType], actsOnArrival: actsOnArrival, call)
        }
        bot.get(name, use: handler)
        bot.post(name, use: handler)
    }

    /// What every method goes through first: the token, the parameters, then the faults to inject.
    private func answer(_ context: Context, contentType: String?, actsOnArrival: Bool,
                        _ call: @Sendable (Params) async -> Response) async -> Response {
        let record = context.record
        // The router matches `bot` in any case, like the method names; the `bot` prefix itself is case-sensitive.
        guard record.path.split(separator: "/").first?.hasPrefix("bot") == true else {
            return Self.error(404, "Not Found")
        }
        guard context.parameters.get("token") == state.token else { return Self.error(401, "Unauthorized") }
        guard let params = Params(query: record.query, body: record.body, contentType: contentType)
        else { return Self.error(400, "Bad Request: can't parse JSON object") }

        if let fault = await faults.fault(for: record.path) {
            switch fault {
            case .status(let status):
                return Self.error(status, Self.standardDescription(status))
            case .rateLimited(let seconds):
                let retry = max(1, Int(seconds.rounded(.up)))
                if let chatID = params["chat_id"]?.int64 {
                    await state.noteRetryAfter(scope: "chat:\(chatID)", seconds: retry)
                }
                return Self.error(429, "Too Many Requests: retry after \(retry)", retryAfter: retry)
            case .stall(let duration) where actsOnArrival:
                // A slow answer: Telegram acts on (and counts) the request when it arrives; the answer comes late.
                let response = await call(params)
                try? await Task.sleep(for: duration)
                return response
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            case .malformedJSON:
                return Self.raw(200, "{\"ok\":true,\"result\":[{\"update_id\":")
            case .dropConnection:
                return Self.dropped()
            }
        }
        return await call(params)
    }

    /// Long polling: answers at once when updates are pending, otherwise holds the request until one arrives or
    /// `timeout` seconds pass. A newer `getUpdates` terminates an older one with 409. What the offset confirms and
    /// where the answer starts: `TelegramUpdateQueue`; a repeated offset: `TelegramRepeatedPollRule`.
    private func getUpdates(_ params: Params) async -> Response {
        if await state.webhookURL != nil {
            return Self.error(409, "Conflict: can't use getUpdates method while webhook is active; "
                + "use deleteWebhook to delete the webhook first")
        }
        let poll = await state.beginPoll(offset: params["offset"]?.int64, limit: params["limit"]?.int64,
                                         timeout: params["timeout"]?.int64)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(poll.timeout)
        while true {
            switch await state.pollStep(poll) {
            case .updates(let updates):
                await state.endPoll(generation: poll.generation)
                return Self.ok("[" + updates.joined(separator: ",") + "]")
            case .conflict:
                return Self.error(409, "Conflict: terminated by other getUpdates request; "
                    + "make sure that only one bot instance is running")
            case .wait:
                if clock.now >= deadline || Task.isCancelled {
                    await state.endPoll(generation: poll.generation)
                    return Self.ok("[]")
                }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    // MARK: Responses

    static func standardDescription(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden: bot was blocked by the user"
        case 404: return "Not Found"
        case 409: return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
        case 429: return "Too Many Requests: retry after 1"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Error \(status)"
        }
    }

    static func response(_ answer: TelegramEmulatorState.Answer) -> Response {
        switch answer {
        case .ok(let result): return ok(result)
        case .error(let status, let description, let retryAfter, let migrateTo):
            return error(status, description, retryAfter: retryAfter, migrateTo: migrateTo)
        }
    }

    static func ok(_ result: String) -> Response { raw(200, "{\"ok\":true,\"result\":\(result)}") }

    static func error(_ status: Int, _ description: String, retryAfter: Int? = nil, migrateTo: Int64? = nil)
        -> Response {
        var body = "{\"ok\":false,\"error_code\":\(status),\"description\":\(TelegramEmulatorState.json(description))"
        var parameters: [String] = []
        if let migrateTo { parameters.append("\"migrate_to_chat_id\":\(migrateTo)") }
        if let retryAfter { parameters.append("\"retry_after\":\(retryAfter)") }
        if !parameters.isEmpty { body += ",\"parameters\":{" + parameters.joined(separator: ",") + "}" }
        body += "}"
        return raw(status, body)
    }

    static func raw(_ status: Int, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: InvalidUTF8.buffer(body)))
    }

    /// Starts a 200 answer and breaks the connection in the middle of the body.
    static func dropped() -> Response {
        DroppedResponse.make(prefix: "{\"ok\":true,\"result\":[")
    }
}
