import Foundation
import Hummingbird

/// Turns HTTP requests into Bot API calls on the emulator's state.
struct TelegramEmulatorRoutes: Sendable {
    let state: TelegramEmulatorState
    let recorder: RequestRecorder
    let faults: FaultPlan

    /// Longest `timeout` honoured by `getUpdates`.
    static let maxPollSeconds = 50

    func handle(_ request: Request) async throws -> Response {
        var record = try await RecordedRequest.read(request)
        let response = await answer(record, contentType: request.headers[.contentType])
        record.status = response.status.code
        await recorder.record(record)
        return response
    }

    private func answer(_ record: RecordedRequest, contentType: String?) async -> Response {
        // /bot<token>/<method>
        let parts = record.path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].hasPrefix("bot") else { return Self.error(404, "Not Found") }
        let token = String(parts[0].dropFirst(3))
        let method = parts[1].lowercased()
        guard token == state.token else { return Self.error(401, "Unauthorized") }
        guard let params = TelegramEmulator.Params(query: record.query, body: record.body, contentType: contentType)
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
            case .stall(let duration) where method == "sendmessage" || method == "sendchataction":
                // A slow answer: Telegram acts on (and counts) the request when it arrives; the answer comes late.
                let response = await dispatch(method, params)
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
        return await dispatch(method, params)
    }

    private func dispatch(_ method: String, _ params: TelegramEmulator.Params) async -> Response {
        switch method {
        case "getme":
            return Self.ok(TelegramEmulatorState.json(state.bot))
        case "getupdates":
            return await getUpdates(params)
        case "sendmessage":
            return Self.response(await state.sendMessage(params))
        case "sendchataction":
            return Self.response(await state.sendChatAction(params))
        case "deletewebhook":
            await state.deleteWebhook(dropPending: params["drop_pending_updates"]?.bool ?? false)
            return Self.ok("true")
        case "setwebhook":
            let url = params["url"]?.string ?? ""
            await state.setWebhook(url.isEmpty ? nil : url)
            return Self.ok("true")
        case "getwebhookinfo":
            let url = await state.webhookURL ?? ""
            let pending = await state.pendingUpdateCount
            return Self.ok("{\"url\":\(TelegramEmulatorState.json(url)),\"has_custom_certificate\":false,"
                + "\"pending_update_count\":\(pending)}")
        default:
            return Self.error(404, "Not Found")
        }
    }

    /// Long polling: answers at once when updates are pending, otherwise holds the request until one arrives or
    /// `timeout` seconds pass. A newer `getUpdates` terminates an older one with 409.
    private func getUpdates(_ params: TelegramEmulator.Params) async -> Response {
        if await state.webhookURL != nil {
            return Self.error(409, "Conflict: can't use getUpdates method while webhook is active; "
                + "use deleteWebhook to delete the webhook first")
        }
        let timeout = min(Self.maxPollSeconds, max(0, Int(params["timeout"]?.int64 ?? 0)))
        let limit = Int(params["limit"]?.int64 ?? 100)
        let generation = await state.beginPoll(offset: params["offset"]?.int64)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        while true {
            switch await state.pollStep(generation: generation, limit: limit) {
            case .updates(let updates):
                await state.endPoll(generation: generation)
                return Self.ok("[" + updates.joined(separator: ",") + "]")
            case .conflict:
                return Self.error(409, "Conflict: terminated by other getUpdates request; "
                    + "make sure that only one bot instance is running")
            case .wait:
                if clock.now >= deadline || Task.isCancelled {
                    await state.endPoll(generation: generation)
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
