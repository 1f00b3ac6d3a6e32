import Synchronization
import Foundation
import Hummingbird

/// Turns HTTP requests into X API v2 calls on the emulator's state, answering with X's JSON shapes.
struct TwitterEmulatorRoutes: Sendable {
    let state: TwitterEmulatorState
    let recorder: RequestRecorder
    let faults: FaultPlan
    let base: BaseURLBox

    typealias Context = EmulatorRequestContext

    /// The X API v2 routes under `/2`. A path under `/2` that no route has (or not for its method) is authenticated
    /// and faulted like the others before its 404.
    func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: RequestRecording(recorder: recorder) { request, context in
            guard context.record.path.split(separator: "/").first == "2" else { return Self.notFound() }
            return await answer(request, context) { Self.notFound() }
        })
        let api = router.group("2")
        // The OAuth 2.0 token endpoint authenticates the client itself (and takes no faults).
        api.post("oauth2/token") { _, context in await token(context.record) }

        let users = api.group("users")
        users.get("me", use: endpoint { _ in await me() })
        users.get(":id/mentions", use: endpoint { context in
            await mentions(of: context.parameters.get("id") ?? "", query: context.record.query)
        })
        users.get(":id/tweets", use: endpoint { context in
            await timeline(of: context.parameters.get("id") ?? "", query: context.record.query)
        })

        let tweets = api.group("tweets")
        tweets.post(use: endpoint { context in await create(context.record) })
        tweets.get(":id", use: endpoint { context in
            await lookup(context.parameters.get("id") ?? "", query: context.record.query)
        })
        return router
    }

    /// A route behind the user authentication and the faults.
    private func endpoint(_ endpoint: @escaping @Sendable (Context) async -> Response)
        -> @Sendable (Request, Context) async throws -> Response {
        { request, context in await answer(request, context) { await endpoint(context) } }
    }

    /// The OAuth 1.0a signature or OAuth 2.0 token first (a 401 says what was wrong in `x-emulator-auth-problem`),
    /// then the faults to inject, then `endpoint`.
    private func answer(_ request: Request, _ context: Context, _ endpoint: () async -> Response) async -> Response {
        let record = context.record
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let url = base.value + record.path
        if let problem = await state.authorize(method: record.method, url: url, rawQuery: request.uri.query ?? "",
                                               formBody: isForm ? record.bodyText : nil,
                                               header: record.headers["authorization"]) {
            var response = Self.problem(401, "Unauthorized", "Unauthorized")
            response.headers[HTTPFields.Element.Name("x-emulator-auth-problem")!] = problem
            return response
        }
        if let fault = await faults.fault(for: record.path) {
            switch fault {
            case .status(let status):
                return Self.problem(status, Self.title(status), Self.title(status))
            case .rateLimited(let seconds):
                let reset = Int((Date().timeIntervalSince1970 + seconds).rounded(.up))
                return Self.problem(429, "Too Many Requests", "Too Many Requests",
                                    headers: [("x-rate-limit-limit", "1"), ("x-rate-limit-remaining", "0"),
                                              ("x-rate-limit-reset", String(reset))])
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            case .malformedJSON:
                return Self.raw(200, "{\"data\":[{\"id\":", headers: [])
            case .dropConnection:
                return Self.dropped()
            }
        }
        return await endpoint()
    }

    // MARK: Endpoints

    /// `GET /2/users/me`.
    private func me() async -> Response {
        let bot = state.bot
        if let refusal = await state.takeReadRefusal() { return Self.refused(refusal) }
        let (allowed, headers) = await state.take(.usersMe)
        guard allowed else { return Self.tooMany(headers) }
        return Self.json(200, ["data": ["id": bot.id, "name": bot.name, "username": bot.username]], headers: headers)
    }

    /// `GET /2/users/{id}/mentions`: only the authenticating user's.
    private func mentions(of userID: String, query: [String: String]) async -> Response {
        if let refusal = await state.takeReadRefusal() { return Self.refused(refusal) }
        let (allowed, headers) = await state.take(.mentions)
        guard allowed else { return Self.tooMany(headers) }
        guard userID == state.bot.id else {
            return Self.problem(403, "Forbidden", "You can only read the mentions of the authenticating user.",
                                headers: headers)
        }
        return await page(of: await state.mentionTimeline(), query: query, headers: headers)
    }

    /// `GET /2/users/{id}/tweets`.
    private func timeline(of userID: String, query: [String: String]) async -> Response {
        if let refusal = await state.takeReadRefusal() { return Self.refused(refusal) }
        let (allowed, headers) = await state.take(.userTweets)
        guard allowed else { return Self.tooMany(headers) }
        return await page(of: await state.timeline(of: userID), query: query, headers: headers)
    }

    /// `GET /2/tweets/{id}`.
    private func lookup(_ id: String, query: [String: String]) async -> Response {
        let (allowed, headers) = await state.take(.tweetLookup)
        guard allowed else { return Self.tooMany(headers) }
        guard let tweet = await state.tweet(id) else {
            return Self.json(200, ["errors": [["value": id, "detail": "Could not find tweet with id: [\(id)].",
                                               "title": "Not Found Error", "resource_type": "tweet",
                                               "parameter": "id", "resource_id": id,
                                               "type": "https://api.twitter.com/2/problems/resource-not-found"]]],
                             headers: headers)
        }
        var body: [String: Any] = ["data": await Self.object(tweet, fields: query["tweet.fields"])]
        await state.billRead(posts: 1)
        let includes = await self.includes(for: [tweet], fields: query["tweet.fields"])
        if !includes.isEmpty { body["includes"] = includes }
        return Self.json(200, body, headers: headers)
    }

    /// `POST /2/tweets`.
    private func create(_ record: RecordedRequest) async -> Response {
        guard let json = record.json, let text = json["text"] as? String else {
            return Self.problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        }
        let replyTo = (json["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String
        let (allowed, headers) = await state.take(.createTweet)
        guard allowed else { return Self.tooMany(headers) }
        switch await state.post(text: text, replyTo: replyTo) {
        case .created(let tweet):
            return Self.json(201, ["data": ["id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]]],
                             headers: headers)
        case .refused(let status, let title, let detail):
            return Self.problem(status, title, detail, headers: headers)
        }
    }

    private func token(_ record: RecordedRequest) async -> Response {
        var form: [String: String] = [:]
        for (key, value) in TwitterEmulatorSignature.pairs(record.bodyText, plus: true) { form[key] = value }
        var basic: String?
        if let header = record.headers["authorization"], header.hasPrefix("Basic "),
           let data = Data(base64Encoded: String(header.dropFirst(6))) {
            basic = String(decoding: data, as: UTF8.self)
        }
        switch await state.refresh(form: form, basic: basic) {
        case .granted(let access, let refresh, let expiresIn):
            return Self.json(200, ["token_type": "bearer", "expires_in": expiresIn, "access_token": access,
                                   "scope": "tweet.read users.read tweet.write offline.access", "refresh_token": refresh],
                             headers: [])
        case .refused(let status, let error, let description):
            return Self.json(status, ["error": error, "error_description": description], headers: [])
        }
    }

    // MARK: Responses

    static func title(_ status: Int) -> String {
        switch status {
        case 400: return "Invalid Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Error"
        }
    }

    static func notFound() -> Response { problem(404, "Not Found", "Sorry, that page does not exist.") }

    /// A read's 403. The app not in a Project is X's `client-forbidden` problem with `reason` `client-not-enrolled`
    /// (docs.x.com/x-api/fundamentals/response-codes-and-errors lists the problem types; the body is the one X
    /// sends, as client libraries quote it); any other is a plain problem that names neither app nor credentials.
    static func refused(_ refusal: TwitterEmulator.ReadRefusal) -> Response {
        switch refusal {
        case .clientNotEnrolled:
            return json(403, [
                "client_id": "31090446", "title": "Client Forbidden", "reason": "client-not-enrolled",
                "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
                    + "from a Twitter developer App that is attached to a Project. You can create a project via the "
                    + "developer portal.",
                "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
                "required_enrollment": "Appropriate Level of API Access",
                "type": "https://api.twitter.com/2/problems/client-forbidden",
            ], headers: [])
        case .forbidden:
            return problem(403, "Forbidden", "Forbidden")
        }
    }

    static func tooMany(_ headers: [(String, String)]) -> Response {
        problem(429, "Too Many Requests", "Too Many Requests", headers: headers)
    }

    static func problem(_ status: Int, _ title: String, _ detail: String, headers: [(String, String)] = []) -> Response {
        json(status, ["title": title, "detail": detail, "type": "about:blank", "status": status], headers: headers)
    }

    static func json(_ status: Int, _ object: [String: Any], headers: [(String, String)]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return raw(status, String(decoding: data, as: UTF8.self), headers: headers)
    }

    static func raw(_ status: Int, _ body: String, headers: [(String, String)]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers { fields[HTTPFields.Element.Name(name)!] = value }
        return Response(status: .init(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: InvalidUTF8.buffer(body)))
    }

    static func dropped() -> Response {
        DroppedResponse.make(prefix: "{\"data\":[")
    }
}

/// The emulator's base URL, known only once the server listens (the signature base string needs it).
final class BaseURLBox: Sendable {
    private let storage = Mutex("")
    var value: String { storage.withLock { $0 } }
    func set(_ value: String) { storage.withLock { $0 = value } }
}
