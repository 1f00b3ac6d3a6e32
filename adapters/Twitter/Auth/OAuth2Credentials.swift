/// OAuth 2.0 (authorization code with PKCE, confidential or public client) for a user token with
/// `offline.access`: the client id, the client secret for confidential clients, and the first refresh token.
public struct OAuth2Credentials: Sendable, Hashable {
    public var clientID: String
    /// Empty for public clients (the client id then goes in the form body only).
    public var clientSecret: String
    /// `refresh_token_env`: used only when the store holds no refresh token from this seed yet.
    public var initialRefreshToken: String

    public init(clientID: String, clientSecret: String, initialRefreshToken: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.initialRefreshToken = initialRefreshToken
    }
}
