import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorEmulators
import TelegramPlatform

/// In-memory adapter state for tests.
actor TelegramTestState: AdapterStateStore, TokenStore {
    private var stored: [String: String] = [:]
    private var tokens: [String: String] = [:]

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
    func saveToken(_ name: String, value: String, at date: Date) async throws { tokens[name] = value }
}

enum TelegramTest {
    /// The production HTTP client, loopback never proxied.
    static func http() -> CurlHTTPClient { CurlHTTPClient(configuration: .init(noProxy: "127.0.0.1,localhost,::1")) }

    static func environment(_ http: any HTTPClient, state: TelegramTestState = TelegramTestState()) -> AdapterEnvironment {
        var logger = Logger(label: "test.telegram")
        logger.logLevel = .critical
        return AdapterEnvironment(http: http, state: state, logger: logger)
    }

    /// An adapter talking to `emulator` over loopback.
    static func adapter(_ emulator: TelegramEmulator, token: String? = nil, pollTimeout: Int = 1,
                        deleteWebhook: Bool = false, state: TelegramTestState = TelegramTestState()) -> TelegramAdapter {
        let configuration = TelegramConfiguration(token: token ?? emulator.token, apiBase: emulator.apiBase,
                                                  pollTimeoutSeconds: pollTimeout, deleteWebhook: deleteWebhook)
        return TelegramAdapter(configuration: configuration, environment: environment(http(),
                                                                                      state: state))
    }
}
