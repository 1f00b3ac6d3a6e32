/// An OpenAI-compatible chat-completions gateway: the `[responder.gateway]` section plus `responder.timeout_seconds`.
public struct GatewayConfiguration: Sendable {
    /// How the API key is sent.
    public enum AuthHeader: String, Sendable, CaseIterable {
        /// `Authorization: Bearer KEY` (OpenAI and most gateways).
        case bearer
        /// `api-key: KEY` (Azure OpenAI style).
        case apiKey = "api-key"
    }

    /// `base_url`, e.g. `https://gateway.example/v1`; requests go to `\(baseURL)/chat/completions`.
    /// The request field that carries `maxTokens` (`token_field`).
    public enum TokenField: String, Sendable, CaseIterable {
        /// `max_tokens`: what most OpenAI-compatible servers read.
        case maxTokens = "max_tokens"
        /// `max_completion_tokens`: OpenAI's newer models (o-series, GPT-5) reject `max_tokens` with 400
        /// "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens'
        /// instead."
        case maxCompletionTokens = "max_completion_tokens"
    }

    public var baseURL: String
    /// The API key. Never logged, never in an error.
    public var apiKey: String
    public var authHeader: AuthHeader
    public var model: String
    /// Ask for server-sent events (`stream: true`) and read the answer as it arrives.
    public var stream: Bool
    /// Time allowed for one `respond`, retries and their waits included.
    public var timeout: Duration
    /// Retries after the first attempt, on 408, 409, 429, 5xx, transport failures and empty answers.
    public var maxRetries: Int
    /// The output-token cap sent with each request, when set, under `tokenField`.
    public var maxTokens: Int?
    public var tokenField: TokenField
    /// `temperature` sent with each request, when set.
    public var temperature: Double?

    public init(baseURL: String, apiKey: String, authHeader: AuthHeader = .bearer, model: String, stream: Bool = true,
                timeout: Duration = .seconds(30), maxRetries: Int = 3, maxTokens: Int? = nil,
                tokenField: TokenField = .maxTokens, temperature: Double? = nil) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.authHeader = authHeader
        self.model = model
        self.stream = stream
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.maxTokens = maxTokens
        self.tokenField = tokenField
        self.temperature = temperature
    }
}
