import Foundation
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import ReplyTensorCore
import ReplyTensorHTTP
import WSClient

/// One WebSocket connection to the Gateway (swift-websocket's client; TLS by NIOSSL for `wss://`): Hello, the
/// heartbeats (the first one jittered), Identify or Resume, dispatches with `s` tracked, op 1/7/9/11, and how the
/// connection ended. Every send passes the 120-per-60-s limiter.
///
/// Source: https://discord.com/developers/docs/events/gateway — "Sending Heartbeats": wait `heartbeat_interval *
/// jitter` (jitter in [0, 1)) for the first heartbeat, then every `heartbeat_interval`; "If a client does not
/// receive a heartbeat ACK between its attempts at sending heartbeats, this may be due to a failed or 'zombied'
/// connection. The client should immediately terminate the connection with any close code besides 1000 or 1001,
/// then reconnect and attempt to Resume"; the Gateway may ask for a heartbeat at once with op 1. A client that
/// closes with 1000 or 1001 invalidates its session, so a connection meant to be resumed closes with 4000.
actor DiscordGatewayConnection {
    private let url: String
    private let token: String
    private let intents: DiscordIntents
    private let inbox: DiscordGatewayInbox
    private let stats: DiscordGatewayStats
    private let logger: Logger
    private let limiter = DiscordGatewaySendLimiter()
    private let clock = ContinuousClock()
    private(set) var session: DiscordGatewaySession
    private var outbound: WebSocketOutboundWriter?
    private var ending: DiscordGatewaySession.Ending?
    private var heartbeatInterval: Duration?
    private var helloWaiters: [CheckedContinuation<Void, Never>] = []
    private var awaitingACK = false
    private var finished = false
    private var lastHeartbeat: ContinuousClock.Instant?

    /// The close code of a connection the client ends but means to resume.
    static let resumeCloseCode: UInt16 = 4000
    /// Largest payload accepted (a GUILD_CREATE of a big guild is large).
    static let maxMessageBytes = 16 << 20

    init(url: String, token: String, intents: DiscordIntents, session: DiscordGatewaySession,
         inbox: DiscordGatewayInbox, stats: DiscordGatewayStats, logger: Logger) {
        self.url = url
        self.token = token
        self.intents = intents
        self.session = session
        self.inbox = inbox
        self.stats = stats
        self.logger = logger
    }

    /// `url` with the version and encoding: `wss://gateway.discord.gg/?v=10&encoding=json`.
    static func connectURL(_ base: String) -> String {
        var trimmed = base
        if let query = trimmed.firstIndex(of: "?") { trimmed = String(trimmed[..<query]) }
        return trimmed.withoutTrailingSlashes + "/?v=10&encoding=json"
    }

    /// Connects, runs until the connection ends, and says how it ended.
    func run() async -> DiscordGatewaySession.Ending {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        var quiet = logger
        quiet.logLevel = .critical
        let client = WebSocketClient(
            url: Self.connectURL(url),
            configuration: .init(maxFrameSize: Self.maxMessageBytes, closeTimeout: .seconds(2)),
            tlsConfiguration: tls, logger: quiet) { inbound, outbound, _ in
                await self.attach(outbound)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.heartbeats() }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                            guard case .text(let text) = message else { continue }
                            if await self.received(text) { break }
                        }
                    }
                    defer { group.cancelAll() }
                    do {
                        _ = try await group.next()
                    } catch {
                        await self.finishWaiting()
                        throw error
                    }
                    await self.finishWaiting()
                }
            }
        do {
            let close = try await client.run()
            if ending == nil { ending = .closed(close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }) }
        } catch {
            if ending == nil {
                ending = outbound == nil ? .failed(Redaction.apply([token], to: "\(error)")) : .closed(nil)
            }
        }
        finishWaiting()
        return ending ?? .closed(nil)
    }

    private func attach(_ writer: WebSocketOutboundWriter) {
        outbound = writer
    }

    // MARK: Receiving

    /// Handles one payload; true when the connection is to end.
    private func received(_ text: String) async -> Bool {
        let data = Data(text.utf8)
        let decoder = DiscordCoding.decoder()
        guard let envelope = try? decoder.decode(DiscordGatewayEnvelope.self, from: data) else {
            inbox.push(.malformed("malformed gateway payload", "\(data.count) bytes"))
            return false
        }
        switch DiscordGatewayOpcode(rawValue: envelope.op) {
        case .hello:
            guard let hello = try? decoder.decode(DiscordGatewayData<DiscordHello>.self, from: data) else {
                return await end(.closed(nil), code: Self.resumeCloseCode)
            }
            heartbeatInterval = .milliseconds(max(100, hello.d.heartbeatInterval))
            wakeHelloWaiters()
            let (opening, resuming) = session.opening(token: token, intents: intents)
            stats.update {
                $0.state = resuming ? "resuming" : "identifying"
                if !resuming { $0.identifies += 1 }
            }
            return await sendOrEnd(opening)
        case .heartbeatACK:
            awaitingACK = false
            if let lastHeartbeat {
                let latency = clock.now - lastHeartbeat
                stats.update { $0.heartbeatLatencyMilliseconds = Int(latency.seconds * 1000) }
            }
            return false
        case .heartbeat:
            return await heartbeatNow()
        case .reconnect:
            logger.info("the Gateway asked to reconnect (op 7); resuming")
            return await end(.reconnectRequested, code: Self.resumeCloseCode)
        case .invalidSession:
            let resumable = (try? decoder.decode(DiscordGatewayData<Bool>.self, from: data))?.d ?? false
            logger.notice("the Gateway invalidated the session (op 9)", metadata: ["resumable": "\(resumable)"])
            return await end(.invalidSession(resumable: resumable), code: Self.resumeCloseCode)
        case .dispatch:
            session.saw(sequence: envelope.s)
            stats.update { $0.eventsReceived += 1 }
            dispatch(envelope.t ?? "", data: data, decoder: decoder)
            return false
        default:
            return false
        }
    }

    private func dispatch(_ type: String, data: Data, decoder: JSONDecoder) {
        switch type {
        case "READY":
            guard let ready = try? decoder.decode(DiscordGatewayData<DiscordReady>.self, from: data) else {
                inbox.push(.malformed("malformed READY", "\(data.count) bytes"))
                return
            }
            session.ready(ready.d)
            stats.update { $0.state = "connected" }
            inbox.push(.sessionStarted)
        case "RESUMED":
            stats.update {
                $0.state = "connected"
                $0.resumes += 1
            }
        case "MESSAGE_CREATE":
            do {
                inbox.push(.message(try decoder.decode(DiscordGatewayData<DiscordMessage>.self, from: data).d))
            } catch {
                inbox.push(.malformed("malformed MESSAGE_CREATE", DiscordCoding.describe(error)))
            }
        case "GUILD_CREATE":
            if let guild = try? decoder.decode(DiscordGatewayData<DiscordGuildCreate>.self, from: data) {
                inbox.push(.guild(guild.d))
            }
        case "THREAD_CREATE", "CHANNEL_CREATE":
            if let channel = try? decoder.decode(DiscordGatewayData<DiscordChannel>.self, from: data) {
                inbox.push(.channel(channel.d))
            }
        default:
            break
        }
    }

    // MARK: Sending

    /// Heartbeats: the first after `interval × jitter`, then every `interval`; a heartbeat due while the last one
    /// has no ACK ends the connection (to be resumed).
    private func heartbeats() async throws {
        let interval = await helloInterval()
        guard let interval else { return }
        try await clock.sleep(for: interval * Double.random(in: 0..<1))
        while !Task.isCancelled {
            if awaitingACK {
                logger.warning("no heartbeat ACK from the Gateway; reconnecting to resume")
                _ = await end(.missedACK, code: Self.resumeCloseCode)
                throw CancellationError()
            }
            if await heartbeatNow() { return }
            try await clock.sleep(for: interval)
        }
    }

    private func heartbeatNow() async -> Bool {
        awaitingACK = true
        lastHeartbeat = clock.now
        return await sendOrEnd(DiscordGatewayCommand.heartbeat(sequence: session.sequence))
    }

    private func helloInterval() async -> Duration? {
        if heartbeatInterval == nil, !finished {
            await withCheckedContinuation { helloWaiters.append($0) }
        }
        return heartbeatInterval
    }

    /// The connection is over: nothing waits for Hello any more.
    private func finishWaiting() {
        finished = true
        wakeHelloWaiters()
    }

    private func wakeHelloWaiters() {
        let waiters = helloWaiters
        helloWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// Sends `text` (within the send limit); true when the connection is gone.
    private func sendOrEnd(_ text: String) async -> Bool {
        guard let outbound else { return true }
        do {
            try await limiter.acquire()
            try await outbound.write(.text(text))
            return false
        } catch {
            if ending == nil { ending = .closed(nil) }
            return true
        }
    }

    /// Records why the connection ends and closes it with `code` (never 1000/1001 when the session is to be
    /// resumed). Returns true.
    private func end(_ reason: DiscordGatewaySession.Ending, code: UInt16) async -> Bool {
        if ending == nil { ending = reason }
        try? await outbound?.close(.init(codeNumber: Int(code)), reason: nil)
        return true
    }
}
