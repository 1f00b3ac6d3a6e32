import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// Sends authorised requests to the X API: OAuth 1.0a signatures or OAuth 2.0 Bearer tokens (one refresh and one
/// retry after a 401). Every status comes back as a response; transport failures throw `BotError`.
struct TwitterClient: Sendable {
    let configuration: TwitterConfiguration
    let http: any HTTPClient
    let session: OAuth2Session?
    let logger: Logger

    static let maxBodyBytes = 8 << 20

    init(configuration: TwitterConfiguration, environment: AdapterEnvironment, logger: Logger) {
        self.configuration = configuration
        self.http = environment.http
        self.logger = logger
        if case .oauth2(let credentials) = configuration.auth {
            session = OAuth2Session(credentials: credentials, apiBase: configuration.apiBase, http: environment.http,
                                    store: environment.state, now: environment.now, logger: logger,
                                    shared: environment.isSharedStore)
        } else {
            session = nil
        }
    }

    /// Removes every secret from text shown to people.
    func scrub(_ text: String) -> String { Redaction.apply(configuration.secrets, to: text) }

    /// `method path?query` with an optional JSON body. `delivery` is what a transport failure means.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], json: Data? = nil,
              delivery: BotError.Delivery = .notDelivered) async throws -> HTTPResponse {
        var url = configuration.apiBase + path
        if !query.isEmpty { url += "?" + PercentEncoding.encodePairs(query) }
        var response = try await execute(method, url, json: json, bearer: nil, delivery: delivery)
        if response.status == 401, let session {
            // One refresh, then one retry; a second 401 is final.
            let rejected = try await bearerToken()
            let renewed = try await session.renew(after: rejected)
            response = try await execute(method, url, json: json, bearer: renewed, delivery: delivery)
        }
        return response
    }

    private func bearerToken() async throws -> String {
        guard let session else { return "" }
        return try await session.accessToken()
    }

    private func execute(_ method: String, _ url: String, json: Data?, bearer: String?,
                         delivery: BotError.Delivery) async throws -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        var redactions = configuration.secrets
        switch configuration.auth {
        case .oauth1(let credentials):
            let signer = OAuth1Signer(credentials: credentials)
            headers.set("Authorization", signer.authorization(method: method, url: url, formBody: nil))
        case .oauth2:
            let token: String
            if let bearer { token = bearer } else { token = try await bearerToken() }
            headers.set("Authorization", "Bearer \(token)")
            redactions.append(token)
        }
        if json != nil { headers.set("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: json, timeout: .seconds(30),
                                  maxBodyBytes: Self.maxBodyBytes, redactions: redactions)
        logger.trace("X request", metadata: ["http.method": "\(method)", "http.url": "\(request.redactedURL)"])
        do {
            return try await http.execute(request)
        } catch let error as HTTPClientError {
            var mapped = BotError(error, platform: .twitter, delivery: delivery)
            mapped.message = scrub("\(method) \(Self.path(of: url)): \(mapped.message)")
            throw mapped
        } catch is CancellationError {
            throw BotError(.cancelled, "\(method) \(Self.path(of: url)): cancelled", platform: .twitter,
                           delivery: delivery)
        }
    }

    static func path(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = rest[slash...]
        return String(path.prefix { $0 != "?" })
    }

    /// The reader of mentions pages: invalid UTF-8 repaired, an unreadable page and malformed posts rejected.
    func mentionsReader() -> AnswerReader {
        AnswerReader(.init(answer: "mentions answer", element: "post", idKey: "tweet.id"), logger: logger)
    }

    /// One mentions page read through `reader` (see `mentionsReader`); nil when it is not readable at all. Its posts
    /// are `reader.values(of:)` the page's `data`.
    func readMentions(_ body: Data, with reader: inout AnswerReader) -> XEnvelope<[LenientElement<XTweet>]>? {
        reader.read(XEnvelope<[LenientElement<XTweet>]>.self, from: body, using: JSONDecoder(),
                    unreadable: "mentions answer is not readable; cursor kept")
    }

    /// The problem an error answer describes (problem JSON, `errors[]`, or a short excerpt).
    func problem(in response: HTTPResponse) -> String {
        struct Body: Decodable {
            var title: String?
            var detail: String?
            var errors: [XProblem]?
        }
        if let body = try? JSONDecoder().decode(Body.self, from: response.body) {
            if let detail = body.detail { return scrub(detail) }
            if let first = body.errors?.first { return scrub(first.text) }
            if let title = body.title { return scrub(title) }
        }
        let excerpt = String(response.text.prefix(200)).replacingOccurrences(of: "\n", with: " ")
        return scrub(excerpt.isEmpty ? "HTTP \(response.status)" : excerpt)
    }
}
