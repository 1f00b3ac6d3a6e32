import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import TwitterPlatform

/// In-memory adapter state and tokens for tests, with a record of token writes.
actor TwitterTestState: AdapterStateStore, TokenStore {
    private var stored: [String: String] = [:]
    private var tokens: [String: String] = [:]
    private(set) var tokenWrites: [(String, String)] = []

    func value(_ key: String, for platform: Platform) async throws -> String? { stored["\(platform):\(key)"] }
    func setValue(_ value: String?, for key: String, platform: Platform, at date: Date) async throws {
        stored["\(platform):\(key)"] = value
    }
    func values(for platform: Platform) async throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in stored where key.hasPrefix("\(platform):") {
            result[String(key.dropFirst(platform.rawValue.count + 1))] = value
        }
        return result
    }
    func token(_ name: String) async throws -> String? { tokens[name] }
    func saveToken(_ name: String, value: String, at date: Date) async throws {
        tokens[name] = value
        tokenWrites.append((name, value))
    }
}

enum TwitterTest {
    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    static func oauth1(_ emulator: TwitterEmulator) -> TwitterConfiguration.Auth {
        .oauth1(OAuth1Credentials(consumerKey: emulator.consumerKey, consumerSecret: emulator.consumerSecret,
                                  token: emulator.accessToken, tokenSecret: emulator.accessTokenSecret))
    }

    /// `shared`: the adapter is one of several replicas sharing `state` (`AdapterEnvironment.isSharedStore`).
    static func adapter(_ emulator: TwitterEmulator, auth: TwitterConfiguration.Auth? = nil,
                        state: any AdapterStateStore & TokenStore = TwitterTestState(), shared: Bool = false,
                        budget: Int = 50, thread: Bool = false,
                        backfill: Bool = false, reconcile: Bool = false, http: (any HTTPClient)? = nil,
                        configure: (inout TwitterConfiguration) -> Void = { _ in }) -> TwitterAdapter {
        var logger = Logger(label: "test.twitter")
        logger.logLevel = .critical
        var configuration = TwitterConfiguration(apiBase: emulator.apiBase, auth: auth ?? oauth1(emulator),
                                                 dailyPostBudget: budget, threadReplies: thread,
                                                 backfillOnFirstRun: backfill, reconcilePosting: reconcile,
                                                 minimumPollInterval: 0.05)
        configure(&configuration)
        return TwitterAdapter(configuration: configuration,
                              environment: AdapterEnvironment(http: http ?? Self.http(), state: state, logger: logger,
                                                              isSharedStore: shared))
    }
}
