import Foundation
import ReplyTensorEmulators

/// The pieces of `replytensor.toml` the end-to-end worlds share: the store, no policy limits, the gateway emulator
/// as a responder, and X's credential variables.
enum E2EConfig {
    /// `[bot]`, `[limits]` (all off), `[responder]` and `[responder.gateway]`.
    static func common(gateway: GatewayEmulator, maxConcurrent: Int = 8, graceSeconds: Int = 15, botExtra: String = "",
                       order: String = #"["gateway"]"#, timeoutSeconds: Int = 5, store: String = "bot.sqlite") -> String {
        """
        [bot]
        store = "\(store)"
        max_concurrent_replies = \(maxConcurrent)
        shutdown_grace_seconds = \(graceSeconds)
        \(botExtra)
        [limits]
        per_user_per_hour = 0
        per_chat_per_minute = 0
        daily_replies = 0
        [responder]
        order = \(order)
        timeout_seconds = \(timeoutSeconds)
        [responder.gateway]
        base_url = "\(gateway.baseURL)"
        api_key_env = "E2E_GATEWAY_KEY"
        model = "replytensor-emulator"
        """
    }

    /// `[twitter]` with both auth schemes' variables (the worlds' environments set them all).
    static func twitter(apiBase: String, auth: String = "oauth1") -> String {
        """
        [twitter]
        enabled = true
        api_base = "\(apiBase)"
        auth = "\(auth)"
        consumer_key_env = "E2E_X_CONSUMER_KEY"
        consumer_secret_env = "E2E_X_CONSUMER_SECRET"
        access_token_env = "E2E_X_ACCESS_TOKEN"
        access_token_secret_env = "E2E_X_ACCESS_SECRET"
        client_id_env = "E2E_X_CLIENT_ID"
        client_secret_env = "E2E_X_CLIENT_SECRET"
        refresh_token_env = "E2E_X_REFRESH"
        poll_interval_seconds = 0
        """
    }

    static func write(_ sections: String..., to folder: URL) throws {
        try sections.joined(separator: "\n").write(to: folder.appendingPathComponent("replytensor.toml"),
                                                   atomically: true, encoding: .utf8)
    }
}
