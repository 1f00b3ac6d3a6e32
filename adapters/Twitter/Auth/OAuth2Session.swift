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
///
/// Replicas sharing the store (`shared`): the refresh runs inside `TokenStore.rotateToken`, so one replica at a time
/// rotates and the next one sees its result. Inside it, a stored refresh token other than the one this session last
/// used means another replica rotated it: its access token (stored as `accessTokenName`, in the tokens table only)
/// is then used while still valid, else the stored refresh token is. No replica ever sends a refresh token another
/// one rotated away (X rotates them and refuses a used one, see `exchange`).
public actor OAuth2Session {
    public static let refreshTokenName = "twitter.oauth2.refresh_token"
    public static let seedName = "twitter.oauth2.seed_sha256"
    /// The access token the last refresh of any replica got: `expires-epoch margin-seconds token` (shared store).
    public static let accessTokenName = "twitter.oauth2.access"

    typealias Access = (token: String, expires: Date, margin: TimeInterval)

    private let credentials: OAuth2Credentials
    private let tokenURL: String
    private let http: any HTTPClient
    private let store: any TokenStore
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let shared: Bool
    private var access: Access?
    private var refreshing: Task<String, any Error>?
    /// The refresh token this session last used or got (shared store).
    private var lastRefreshToken: String?
    /// How many refreshes this session made (for tests and figures).
    public private(set) var refreshCount = 0

    public init(credentials: OAuth2Credentials, apiBase: String, http: any HTTPClient, store: any TokenStore,
                now: @escaping @Sendable () -> Date, logger: Logger, shared: Bool = false) {
        self.credentials = credentials
        self.tokenURL = apiBase + "/2/oauth2/token"
        self.http = http
        self.store = store
        self.now = now
        self.logger = logger
        self.shared = shared
    }

    /// A valid access token, refreshing when there is none or it expires within a minute (a tenth of its life).
    public func accessToken() async throws -> String {
        if let access, isValid(access) { return access.token }
        return try await refresh(rejected: nil)
    }

    /// Forgets `token` after a 401 and returns a fresh one (one refresh, shared by concurrent callers).
    public func renew(after rejected: String) async throws -> String {
        if let access, access.token != rejected { return access.token }
        access = nil
        return try await refresh(rejected: rejected)
    }

    private func isValid(_ access: Access) -> Bool { access.expires.timeIntervalSince(now()) > access.margin }

    private func refresh(rejected: String?) async throws -> String {
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.performRefresh(rejected: rejected) }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    private func performRefresh(rejected: String?) async throws -> String {
        if shared {
            _ = try await store.rotateToken(Self.refreshTokenName, at: now()) { stored in
                try await self.rotate(stored, rejected: rejected)
            }
            guard let access else { throw BotError(.platform, "token refresh: no access token", platform: .twitter) }
            return access.token
        }
        let refreshToken = try await currentRefreshToken()
        let grant = try await exchange(refreshToken)
        if let next = grant.refresh_token, !next.isEmpty {
            // Durable before anything uses the new access token: the old refresh token is spent.
            try await store.saveToken(Self.refreshTokenName, value: next, at: now())
        }
        return adopt(grant).token
    }

    /// One rotation in a shared store, under its lock: returns the refresh token to store (the stored one when
    /// another replica's access token is used).
    private func rotate(_ stored: String?, rejected: String?) async throws -> String {
        let seed = credentials.initialRefreshToken
        let newSeed = seed.isEmpty ? false : try await store.token(Self.seedName) != Self.hash(seed)
        let token: String
        if newSeed {
            token = seed  // the operator authorised (again): it replaces any stored chain
        } else if let stored, !stored.isEmpty {
            token = stored
        } else {
            throw Self.missingToken
        }
        if !newSeed, token != lastRefreshToken, let other = try await storedAccess(), other.token != rejected,
           isValid(other) {
            // Another replica rotated the token; its access token serves this one too.
            access = other
            lastRefreshToken = token
            return token
        }
        let grant = try await exchange(token)
        let current = adopt(grant)
        let value = "\(Int(current.expires.timeIntervalSince1970)) \(Int(current.margin)) \(current.token)"
        // Stored before the rotation ends, so the replica that rotates next finds it.
        try await store.saveToken(Self.accessTokenName, value: value, at: now())
        if newSeed { try await store.saveToken(Self.seedName, value: Self.hash(seed), at: now()) }
        let next = grant.refresh_token.flatMap { $0.isEmpty ? nil : $0 } ?? token
        lastRefreshToken = next
        return next
    }

    /// The access token another replica stored.
    private func storedAccess() async throws -> Access? {
        guard let value = try await store.token(Self.accessTokenName) else { return nil }
        let parts = value.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let expires = Double(parts[0]), let margin = Double(parts[1]) else { return nil }
        return (String(parts[2]), Date(timeIntervalSince1970: expires), margin)
    }

    struct Grant: Decodable {
        var access_token: String
        var refresh_token: String?
        var expires_in: Double?
    }

    /// `POST /2/oauth2/token` with `grant_type=refresh_token` (the refresh token flow of
    /// https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code). Each refresh returns a
    /// new refresh token; RFC 6749 §6 (https://www.rfc-editor.org/rfc/rfc6749#section-6): the client "MUST discard
    /// the old refresh token" and the server "MAY revoke" it, which X does: a used one is refused.
    private func exchange(_ refreshToken: String) async throws -> Grant {
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
        guard let grant = try? JSONDecoder().decode(Grant.self, from: response.body), !grant.access_token.isEmpty else {
            throw BotError(.decoding, "token refresh: unreadable answer", platform: .twitter)
        }
        if grant.refresh_token?.isEmpty ?? true {
            logger.warning("token refresh returned no refresh token (is offline.access granted?)")
        }
        return grant
    }

    /// Takes the access token of `grant` into use.
    private func adopt(_ grant: Grant) -> Access {
        refreshCount += 1
        let lifetime = grant.expires_in ?? 7200
        let current = (grant.access_token, now().addingTimeInterval(lifetime), min(60, lifetime / 10))
        access = current
        logger.info("OAuth 2.0 access token refreshed", metadata: ["expires_in": "\(Int(lifetime))"])
        return current
    }

    private static func hash(_ seed: String) -> String {
        SHA256.hash(data: Data(seed.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static let missingToken = BotError(
        .platformStopped, "no OAuth 2.0 refresh token: set refresh_token_env to the refresh token of an "
            + "authorisation with offline.access", platform: .twitter)

    /// The stored refresh token, or the configured seed when it is new.
    private func currentRefreshToken() async throws -> String {
        let seed = credentials.initialRefreshToken
        let seedHash = seed.isEmpty ? "" : Self.hash(seed)
        let knownSeed = try await store.token(Self.seedName)
        if !seed.isEmpty, knownSeed != seedHash {
            // A seed the store has not seen: the operator authorised (again). It replaces any stored chain.
            try await store.saveToken(Self.seedName, value: seedHash, at: now())
            try await store.saveToken(Self.refreshTokenName, value: seed, at: now())
            return seed
        }
        if let stored = try await store.token(Self.refreshTokenName), !stored.isEmpty { return stored }
        throw Self.missingToken
    }
}
