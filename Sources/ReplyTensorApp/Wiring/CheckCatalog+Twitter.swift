import Foundation
import ReplyTensorCore
import ReplyTensorStore
import TwitterPlatform

extension CheckCatalog {
    /// `check` for X: the credentials with `GET /2/users/me`, and the rate-limit state the answer reports.
    static func twitterCheck(_ configuration: ReplyTensorConfiguration, environment: AdapterEnvironment) -> Check {
        if case .oauth2 = configuration.twitter.auth, configuration.bot.postgres != nil {
            return sharedTwitterCheck(configuration, environment: environment)
        }
        var environment = environment
        var lock: StoreLock?
        if case .oauth2 = configuration.twitter.auth {
            // A refresh rotates the single-use refresh token: the new one must land in the bot's own store, and
            // never while a bot runs on it (both would rotate it), so the check holds the store's lock meanwhile.
            do { lock = try StoreLock.acquire(store: configuration.bot.store.path) } catch {
                return Check(name: "twitter") {
                    Check.Result(ok: false, summary: "not checked: \(error) (with auth = \"oauth2\" the check "
                        + "refreshes the single-use token, so it runs only while the bot is stopped)")
                }
            }
            if let store = try? SQLiteStore(path: configuration.bot.store.path) { environment.state = store }
        }
        let heldLock = lock
        let adapter = TwitterAdapter(configuration: configuration.twitter, environment: environment)
        return Check(name: "twitter") {
            defer { heldLock?.release() }
            return await verifyTwitter(adapter, configuration)
        }
    }

    /// With OAuth 2.0 on a PostgreSQL store the refresh takes the token's row lock (`rotateToken`), so the check may
    /// run beside the replicas: it rotates the token in the shared store like any replica would.
    private static func sharedTwitterCheck(_ configuration: ReplyTensorConfiguration,
                                           environment: AdapterEnvironment) -> Check {
        Check(name: "twitter") {
            let opened: OpenedStore
            do {
                opened = try await StoreOpener.openAsObserver(configuration, role: "check", logger: environment.logger)
            } catch {
                return Check.Result(ok: false, summary: "not checked: cannot open the store: \(error)")
            }
            var environment = environment
            environment.state = opened.store
            environment.isSharedStore = true
            let result = await verifyTwitter(TwitterAdapter(configuration: configuration.twitter,
                                                            environment: environment), configuration)
            try? await opened.close()
            return result
        }
    }

    private static func verifyTwitter(_ adapter: TwitterAdapter, _ configuration: ReplyTensorConfiguration) async
        -> Check.Result {
        let auth = configuration.twitter.auth.name
        let budget = configuration.twitter.dailyPostBudget
        let spending = configuration.twitter.spending
        do {
            let verified = try await adapter.verify()
            var result = Check.Result(ok: true, summary: "\(auth) credentials accepted: @\(verified.username) (id \(verified.id))")
            if let window = verified.window {
                result.details.append("rate limit (users/me): \(window.remaining)/\(window.limit) left, resets \(window.reset.formatted(.iso8601))")
                if window.remaining == 0 { result.warnings.append("the users/me window is exhausted until \(window.reset.formatted(.iso8601))") }
            } else {
                result.warnings.append("X sent no x-rate-limit headers")
            }
            for (name, cap) in [("app 24-hour cap", verified.appCap), ("user 24-hour cap", verified.userCap)] {
                guard let cap else { continue }
                result.details.append("\(name): \(cap.remaining)/\(cap.limit) left")
            }
            result.details.append("daily_post_budget: \(budget == 0 ? "unlimited" : String(budget)) posts per UTC day")
            result.details.append(spending.dailyBudgetUSD == 0 ? "daily_budget_usd: no spend cap"
                : "daily_budget_usd: $\(spending.dailyBudgetUSD) per UTC day (a post $\(spending.pricePostUSD), "
                    + "with a URL $\(spending.pricePostWithURLUSD), a post read $\(spending.priceReadUSD))")
            return result
        } catch {
            return Check.Result(ok: false, summary: "\(error)")
        }
    }
}
