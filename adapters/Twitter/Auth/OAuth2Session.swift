import Crypto
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP

/// OAuth 2.0 user tokens: a Bearer access token in memory, refreshed with the single-use rotating refresh token.
///
/// The refresh token lives in the `TokenStore`. A refresh stores the new refresh token durably *before* the new
/// access token is used, so a crash can never leave the bot holding only a consumed token. Refreshes are
/// single-flight: callers that need a token while a refresh runs await that same refresh.
/// The first refresh token comes from the configuration (`refresh_token_env`); the store remembers a hash of
/// that seed, so a new seed (the operator re-authorised) replaces the stored chain, and an unchanged one is
/// never used twice.
public actor OAuth2Session {
    public static let refreshTokenName = "twitter.oauth2.refresh_token"
    public static let seedName = "twitter.oauth2.seed_sha256"

    private let credentials: OAuth2Credentials
    private let tokenURL: String
    private let http: any HTTPClient
    private let store: any TokenStore
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var access: (token: String, expires: Date, margin: TimeInterval)?
    private var refreshing: Task<String, any Error>?
    /// How many refreshes this session made (for tests and figures).
    public private(set) var refreshCount = 0

    public init(credentials: OAuth2Credentials, apiBase: String, http: any HTTPClient, store: any TokenStore,
                now: @escaping @Sendable () -> Date, logger: Logger) {
        self.credentials = credentials
        self.tokenURL = apiBase + "/2/oauth2/token"
        self.http = http
        self.store = store
        self.now = now
        self.logger = logger
    }

    /// A valid access token, refreshing when there is none or it expires within a minute (a tenth of its life).
    public func accessToken() async throws -> String {
        if let access, access.expires.timeIntervalSince(now()) > access.margin { return access.token }
        return try await refresh()
    }

    /// Forgets `token` after a 401 and returns a fresh one (one refresh, shared by concurrent callers).
    public func renew(after rejected: String) async throws -> String {
        if let access, access.token != rejected { return access.token }
        access = nil
        return try await refresh()
    }

    private func refresh() async throws -> String {
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.performRefresh() }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    private func performRefresh() async throws -> String {
        let refreshToken = try await currentRefreshToken()
        var form: [(String, String)] = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        if credentials.clientSecret.isEmpty {
            form.append(("client_id", credentials.clientID))
        } else {
            let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
            headers.set("Authorization", "Basic \(basic)")
        }
        let request = HTTPRequest(method: "POST", url: tokenURL, headers: headers,
                                  body: Data(PercentEncoding.encodePairs(form).utf8), timeout: .seconds(30),
                                  maxBodyBytes: 1 << 20, redactions: [refreshToken, credentials.clientSecret])
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            // The refresh token may have been consumed: the next attempt will tell (invalid_grant → re-authorise).
            throw BotError(error, platform: .twitter, delivery: .notDelivered)
        }
        guard response.isSuccess else {
            let detail = Redaction.apply([refreshToken, credentials.clientSecret], to: String(response.text.prefix(300)))
            if response.status >= 500 || response.status == 429 {
                throw BotError(.platform, "token refresh: HTTP \(response.status) \(detail)", platform: .twitter,
                               httpStatus: response.status)
            }
            throw BotError(.platformStopped,
                           "X rejected the OAuth 2.0 refresh token (HTTP \(response.status): \(detail)). Authorise "
                               + "the app again and put the new refresh token in refresh_token_env",
                           platform: .twitter, httpStatus: 401)
        }
        struct Grant: Decodable {
            var access_token: String
            var refresh_token: String?
            var expires_in: Double?
        }
        guard let grant = try? JSONDecoder().decode(Grant.self, from: response.body), !grant.access_token.isEmpty else {
            throw BotError(.decoding, "token refresh: unreadable answer", platform: .twitter)
        }
        if let next = grant.refresh_token, !next.isEmpty {
            // Durable before anything uses the new access token: the old refresh token is spent.
            try await store.saveToken(Self.refreshTokenName, value: next, at: now())
        } else {
            logger.warning("token refresh returned no refresh token (is offline.access granted?)")
        }
        refreshCount += 1
        let lifetime = grant.expires_in ?? 7200
        access = (grant.access_token, now().addingTimeInterval(lifetime), min(60, lifetime / 10))
        logger.info("OAuth 2.0 access token refreshed", metadata: ["expires_in": "\(Int(lifetime))"])
        return grant.access_token
    }

    /// The stored refresh token, or the configured seed when it is new.
    private func currentRefreshToken() async throws -> String {
        let seed = credentials.initialRefreshToken
        let seedHash = seed.isEmpty ? "" : SHA256.hash(data: Data(seed.utf8)).map { String(format: "%02x", $0) }.joined()
        let knownSeed = try await store.token(Self.seedName)
        if !seed.isEmpty, knownSeed != seedHash {
            // A seed the store has not seen: the operator authorised (again). It replaces any stored chain.
            try await store.saveToken(Self.seedName, value: seedHash, at: now())
            try await store.saveToken(Self.refreshTokenName, value: seed, at: now())
            return seed
        }
        if let stored = try await store.token(Self.refreshTokenName), !stored.isEmpty { return stored }
        throw BotError(.platformStopped,
                       "no OAuth 2.0 refresh token: set refresh_token_env to the refresh token of an authorisation "
                           + "with offline.access", platform: .twitter)
    }
}
