import Foundation
import Logging
import ReplyTensorCore

/// Keeps one Gateway session alive for the adapter: `GET /gateway/bot` before each new session (refusing to
/// identify when no session starts are left, until they reset), one `DiscordGatewayConnection` after another,
/// resuming on `resume_gateway_url` whenever the session allows it, and stopping on a fatal close code. Events go
/// to the inbox the adapter's polls read.
///
/// Source: https://discord.com/developers/docs/events/gateway — "Connecting" (get the URL from Get Gateway Bot and
/// cache it; connect with `v=10&encoding=json`), "Session Start Limit" ("If you hit this limit, you'll receive a
/// response [...] and the time until the limit resets"; identifying anyway gets the token reset), and the
/// identify concurrency: `max_concurrency` identifies per 5 seconds.
actor DiscordGateway {
    private let configuration: DiscordConfiguration
    private let client: DiscordClient
    let inbox = DiscordGatewayInbox()
    let stats = DiscordGatewayStats()
    private let logger: Logger
    private var task: Task<Void, Never>?
    private var session = DiscordGatewaySession()
    private var lastIdentify: ContinuousClock.Instant?

    /// Between failed connections: about 1 s, 2 s, … at most 60 s.
    static let retryBackoff = Backoff(initial: .seconds(1), maximum: .seconds(60))

    init(configuration: DiscordConfiguration, client: DiscordClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    var intents: DiscordIntents { .derived(messageContent: configuration.messageContent) }

    /// Starts the connection loop once.
    func start() {
        guard task == nil else { return }
        task = Task { await self.run() }
    }

    func stop() {
        task?.cancel()
    }

    private func run() async {
        var backoff = Self.retryBackoff
        var wait: Duration = .zero
        var resuming = false
        while !Task.isCancelled {
            if wait > .zero {
                do { try await Task.sleep(for: wait) } catch { return }
            }
            let url: String
            if resuming, let resumeURL = session.resumeURL {
                url = resumeURL
            } else {
                session.forget()
                guard let gatewayURL = await sessionStart() else { return }
                url = gatewayURL
            }
            let connection = DiscordGatewayConnection(url: url, token: configuration.token, intents: intents,
                                                      session: session, inbox: inbox, stats: stats, logger: logger)
            let ending = await connection.run()
            session = await connection.session
            if Task.isCancelled { return }
            if stats.current.state == "connected" { backoff.reset() }
            let next = session.next(after: ending, retry: backoff.next(), tokenSource: configuration.tokenSource)
            logger.info("gateway connection ended", metadata: ["ending": "\(ending)", "next": "\(next)"])
            switch next {
            case .stop(let message):
                stats.update { $0.state = "stopped" }
                inbox.push(.stopped(BotError(.platformStopped, message, platform: .discord)))
                return
            case .resume(let after):
                stats.update {
                    $0.state = "resuming"
                    $0.reconnects += 1
                }
                (wait, resuming) = (after, true)
            case .identify(let after):
                stats.update {
                    $0.state = "connecting"
                    $0.reconnects += 1
                }
                (wait, resuming) = (after, false)
            }
        }
    }

    /// `GET /gateway/bot` and the session start limit: the URL to identify on, or nil when stopped. With no starts
    /// left it waits (cancellably) until they reset, saying so through the inbox.
    private func sessionStart() async -> String? {
        var backoff = Self.retryBackoff
        while !Task.isCancelled {
            do {
                let info = try await client.get("/gateway/bot", as: DiscordGatewayBot.self)
                let limit = info.sessionStartLimit
                guard limit.remaining > 0 else {
                    let reset = Duration.milliseconds(max(1000, limit.resetAfter))
                    let when = Date().addingTimeInterval(reset.seconds)
                    let message = "Discord allows no more Gateway session starts now (0 of \(limit.total) left); "
                        + "not identifying until they reset at \(when.formatted(.iso8601)) (in \(Int(reset.seconds)) s)"
                    logger.error("\(message)")
                    stats.update { $0.state = "waiting" }
                    inbox.push(.refused(BotError(.rateLimited, message, platform: .discord, retryAfter: reset,
                                                 scope: "gateway")))
                    try await Task.sleep(for: reset)
                    continue
                }
                try await spaceIdentify(maxConcurrency: limit.maxConcurrency)
                return info.url
            } catch let error as BotError where error.code == .platformStopped {
                stats.update { $0.state = "stopped" }
                inbox.push(.stopped(error))
                return nil
            } catch is CancellationError {
                return nil
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("GET /gateway/bot failed; retrying", metadata: ["error": "\(error)"])
                do { try await Task.sleep(for: backoff.next()) } catch { return nil }
            }
        }
        return nil
    }

    /// At most `max_concurrency` identifies per 5 seconds (one shard: one per 5 s).
    private func spaceIdentify(maxConcurrency: Int) async throws {
        let spacing = Duration.milliseconds(5000 / Int64(max(1, maxConcurrency)))
        if let last = lastIdentify, ContinuousClock.now - last < spacing {
            try await Task.sleep(until: last + spacing, clock: .continuous)
        }
        lastIdentify = .now
    }
}
