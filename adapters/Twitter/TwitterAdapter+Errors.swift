import ReplyTensorCore
import ReplyTensorHTTP

extension TwitterAdapter {
    /// The error for credentials X refused, with a hint for the configured kind of authorisation.
    func unauthorized(_ what: String, status: Int) -> BotError {
        let hint: String
        switch configuration.auth {
        case .oauth1: hint = "check the API key and access token (\(configuration.credentialSource)) and that the app has read and write permission"
        case .oauth2: hint = "the OAuth 2.0 token was refused after a refresh; authorise again (\(configuration.credentialSource))"
        }
        return BotError(.platformStopped, "X rejected the credentials on \(what) (HTTP \(status)): \(hint)",
                        platform: .twitter, httpStatus: status)
    }

    /// Throws the `BotError` for an unsuccessful answer of a read. A 403 stops the adapter only when X says the app
    /// or its credentials are not authorised (`XForbidden`); any other 403 is an error the engine logs and retries
    /// with back-off.
    func check(_ response: HTTPResponse, what: String) throws {
        guard !response.isSuccess else { return }
        let problem = client.problem(in: response)
        switch response.status {
        case 401: throw unauthorized(what, status: 401)
        case 403 where XForbidden.isAuthorisationProblem(response.body):
            throw BotError(.platformStopped, "\(what): X refused the app or its credentials (HTTP 403): \(problem). Is "
                               + "the app in a Project, with an access level and permissions that include this "
                               + "endpoint?", platform: .twitter, httpStatus: 403,
                           stopCause: .accessDenied)
        case 403:
            throw BotError(.forbidden, "\(what): forbidden (HTTP 403): \(problem)", platform: .twitter,
                           httpStatus: 403)
        case 429:
            throw BotError(.rateLimited, "\(what): \(problem)", platform: .twitter, httpStatus: 429,
                           retryAfter: windows.knownWait(for: [TwitterRateWindows.mentions]) ?? .seconds(60),
                           scope: "global")
        default:
            throw BotError(.platform, "\(what): \(problem)", platform: .twitter, httpStatus: response.status)
        }
    }

    /// The error for an unsuccessful answer to `POST /2/tweets` (the budget already refunded where it applies).
    /// `earlierUncertain`: an earlier attempt of the same part got a 5xx.
    func postFailure(_ response: HTTPResponse, earlierUncertain: Bool) -> BotError {
        let problem = client.problem(in: response)
        switch response.status {
        case 429:
            let wait = windows.knownWait(for: [TwitterRateWindows.post, TwitterRateWindows.appCap,
                                               TwitterRateWindows.userCap]) ?? .seconds(60)
            return BotError(.rateLimited, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: 429,
                            retryAfter: wait, scope: "global")
        case 401:
            return unauthorized("POST /2/tweets", status: 401)
        case 403:
            let duplicate = problem.localizedCaseInsensitiveContains("duplicate")
            return BotError(.forbidden, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: 403,
                            isPermanent: true, delivery: duplicate && earlierUncertain ? .unknown : .notDelivered)
        case 400..<500:
            return BotError(.platform, "POST /2/tweets: \(problem)", platform: .twitter,
                            httpStatus: response.status, isPermanent: true)
        default:
            return BotError(.platform, "POST /2/tweets: \(problem)", platform: .twitter, httpStatus: response.status)
        }
    }
}
