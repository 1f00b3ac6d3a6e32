import ReplyTensorCore
import TwitterPlatform

extension PlatformFactory {
    /// The `[twitter]` section as the adapter's configuration.
    static func twitter(_ configuration: ReplyTensorConfiguration) -> TwitterConfiguration {
        let section = configuration.twitter
        let auth: TwitterConfiguration.Auth
        let source: String
        if section.auth == "oauth2" {
            auth = .oauth2(OAuth2Credentials(clientID: section.clientID, clientSecret: section.clientSecret,
                                             initialRefreshToken: section.refreshToken))
            source = "client_id_env, client_secret_env, refresh_token_env"
        } else {
            auth = .oauth1(OAuth1Credentials(consumerKey: section.consumerKey, consumerSecret: section.consumerSecret,
                                             token: section.accessToken, tokenSecret: section.accessTokenSecret))
            source = "consumer_key_env, consumer_secret_env, access_token_env, access_token_secret_env"
        }
        return TwitterConfiguration(apiBase: section.apiBase, auth: auth, pollIntervalSeconds: section.pollIntervalSeconds,
                                    dailyPostBudget: section.dailyPostBudget, threadReplies: section.threadReplies,
                                    backfillOnFirstRun: section.backfillOnFirstRun,
                                    reconcilePosting: section.reconcilePosting, credentialSource: source)
    }
}
