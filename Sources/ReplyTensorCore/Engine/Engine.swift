import Foundation
import Logging
import Synchronization

/// Runs the bot: one polling loop per adapter, a bounded pool of workers walking mentions through
/// `MentionProcessor`, resume of unfinished mentions on start, and pruning. `run()` returns after `shutdown()`
/// once work in flight has finished (or when the calling task is cancelled).
public final class Engine: Sendable {
    public let configuration: EngineConfiguration
    private let store: any BotStore
    private let adapters: [any PlatformAdapter]
    private let processor: MentionProcessor
    let queue = WorkQueue()
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    private let observer: EngineObserver
    let logger: Logger
    let state = Mutex(RunState())
    /// This process's part among replicas when the store is shared; nil for a store one process uses.
    let replica: ReplicaRole?

    struct RunState {
        var shuttingDown = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        var identities: [Platform: BotIdentity] = [:]
        var stopped: [Platform: String] = [:]
        var lastPoll: [Platform: Date] = [:]
    }

    public init(configuration: EngineConfiguration, store: any BotStore, adapters: [any PlatformAdapter],
                responder: any Responder, plugins: [any Plugin], logger: Logger,
                clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() },
                observer: @escaping EngineObserver = { _ in }, replicas: (any ReplicaStore)? = nil) {
        self.configuration = configuration
        self.store = store
        self.adapters = adapters
        self.clock = clock
        self.now = now
        self.observer = observer
        self.logger = logger
        let replica = replicas.map { ReplicaRole(store: $0, now: now, logger: logger) }
        self.replica = replica
        self.processor = MentionProcessor(
            configuration: configuration, store: store, responder: responder, plugins: plugins,
            gate: SendGate(store: store, now: now, shared: replicas),
            policy: PolicyGate(limits: configuration.limits, now: now, shared: replicas),
            responderSlots: Slots(count: configuration.maxConcurrentReplies),
            postingSlots: Slots(count: configuration.maxConcurrentReplies),
            claimsHeld: { replica?.holdsClaims() ?? true },
            clock: clock, now: now, observer: observer, logger: logger)
    }

    /// Asks `run()` to stop polling, let work in flight finish, and return. Safe to call from a signal handler's
    /// task and more than once.
    public func shutdown() {
        state.withLock { $0.shuttingDown = true }
        wakeShutdownWaiters()
    }

    private func wakeShutdownWaiters() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.shutdownWaiters.removeAll() }
            return state.shutdownWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// When each platform last polled successfully, and the adapters that stopped (with the reason).
    public var health: (lastPoll: [Platform: Date], stopped: [Platform: String]) {
        state.withLock { ($0.lastPoll, $0.stopped) }
    }

    /// Runs until `shutdown()` or cancellation. Throws when every adapter stopped on a fatal error.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.runWorkers() }
            group.addTask {
                await withTaskGroup(of: Void.self) { polls in
                    for adapter in self.adapters {
                        polls.addTask { await self.pollLoop(adapter) }
                    }
                    polls.addTask { await self.pruneLoop() }
                    polls.addTask { await self.waitForShutdown() }
                    if let replica = self.replica {
                        polls.addTask { await replica.run(platforms: { self.servedPlatforms }, clock: self.clock) }
                        polls.addTask { await self.feedLoop(replica) }
                    }
                    // The shutdown waiter finishes first on a normal stop; poll loops finish first only when
                    // their adapter stopped.
                    while await polls.next() != nil {
                        if self.isShuttingDown || self.allAdaptersStopped { break }
                    }
                    polls.cancelAll()
                }
                await self.queue.close()
            }
            try await group.waitForAll()
        }
        await leaveReplicas()
        let stopped = state.withLock { $0.stopped }
        if !adapters.isEmpty, stopped.count == adapters.count, !isShuttingDown {
            let reasons = stopped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            throw BotError(.platformStopped, "every platform stopped: \(reasons)", stopCause: .everyPlatformStopped)
        }
    }

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }
    private var allAdaptersStopped: Bool { state.withLock { $0.stopped.count } == adapters.count }

    private func waitForShutdown() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.shuttingDown || Task.isCancelled { return true }
                    state.shutdownWaiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wakeShutdownWaiters()
        }
    }

    // MARK: Polling

    private func identity(of adapter: any PlatformAdapter) async -> BotIdentity? {
        var backoff = Backoff(initial: configuration.pollBackoff.initial, maximum: configuration.pollBackoff.maximum)
        while !Task.isCancelled {
            do {
                let identity = try await adapter.identity()
                state.withLock { $0.identities[adapter.platform] = identity }
                observer(.identified(identity))
                logger.info("identified", metadata: ["platform": "\(adapter.platform)", "bot.id": "\(identity.id)",
                                                      "bot.handle": "\(identity.handle ?? "-")"])
                return identity
            } catch let error as BotError where error.code == .platformStopped || error.code == .config {
                stop(adapter.platform, reason: error.description)
                return nil
            } catch {
                if Task.isCancelled { return nil }
                logger.warning("identity lookup failed; retrying",
                               metadata: ["platform": "\(adapter.platform)", "error": "\(error)"])
                try? await clock.sleep(for: backoff.next())
            }
        }
        return nil
    }

    private func stop(_ platform: Platform, reason: String) {
        state.withLock { $0.stopped[platform] = reason }
        logger.critical("platform stopped", metadata: ["platform": "\(platform)", "reason": "\(reason)"])
        observer(.adapterStopped(platform, reason: reason))
    }

    private func pollLoop(_ adapter: any PlatformAdapter) async {
        let platform = adapter.platform
        guard await identity(of: adapter) != nil else { return }
        if replica == nil { await resume(platform) }
        var backoff = Backoff(initial: configuration.pollBackoff.initial, maximum: configuration.pollBackoff.maximum)
        while !Task.isCancelled {
            if let replica, !replica.holdsLease(platform) {
                // Another replica polls this platform (or the store is unreachable): wait for the lease. While this
                // replica can reach the store, the platform counts as served for health checks.
                if replica.holdsClaims() { state.withLock { $0.lastPoll[platform] = now() } }
                do { try await clock.sleep(for: .milliseconds(250)) } catch { return }
                continue
            }
            let delay: Duration
            do {
                let cursors = try await store.cursors(for: platform)
                let page = try await adapter.poll(cursors: cursors)
                for rejected in page.rejected {
                    logger.warning("skipped unusable input", metadata: ["platform": "\(platform)",
                                                                         "reason": "\(rejected.reason)",
                                                                         "detail": "\(rejected.detail)"])
                    observer(.rejected(platform, rejected))
                }
                let admitted = try await store.admit(page.messages, at: now())
                if !page.cursorUpdates.isEmpty {
                    try await store.saveCursors(page.cursorUpdates, for: platform, at: now())
                }
                let admittedKeys = Set(admitted.map(\.key))
                for message in page.messages where !admittedKeys.contains(message.key) {
                    observer(.duplicate(message.key))
                }
                let admittedAt = now()
                for message in admitted {
                    observer(.admitted(message))
                    // Among replicas every admitted mention is taken from the store by whichever replica claims it.
                    if replica == nil {
                        await queue.enqueue(LedgerEntry(message: message, state: .received, admittedAt: admittedAt,
                                                        updatedAt: admittedAt))
                    }
                }
                if !admitted.isEmpty { replica?.requestFeed() }
                state.withLock { $0.lastPoll[platform] = now() }
                observer(.pollSucceeded(platform, messages: page.messages.count))
                backoff.reset()
                delay = page.nextPollDelay
            } catch let error as BotError where error.code == .platformStopped {
                stop(platform, reason: error.description)
                return
            } catch {
                if Task.isCancelled { return }
                let wait = (error as? BotError)?.retryAfter ?? backoff.next()
                logger.warning("poll failed", metadata: ["platform": "\(platform)", "error": "\(error)",
                                                          "retry_in": "\(wait)"])
                observer(.pollFailed(platform, error: "\(error)"))
                delay = wait
            }
            if delay > .zero {
                do { try await clock.sleep(for: delay) } catch { return }
            }
        }
    }

    /// Queues what a previous run left unfinished; interrupted posts are resolved first.
    private func resume(_ platform: Platform) async {
        do {
            for entry in try await store.unfinished() where entry.message.platform == platform {
                if entry.state == .posting {
                    guard let adapter = adapters.first(where: { $0.platform == platform }) else { continue }
                    try await processor.resumePosting(entry, adapter: adapter)
                } else {
                    await queue.enqueue(entry)
                }
            }
        } catch {
            logger.error("resume failed", metadata: ["platform": "\(platform)", "error": "\(error)"])
        }
    }

    // MARK: Workers

    /// Mentions worked on at once: more than the responder calls and posts allowed at once (`Slots`), so the store
    /// steps of many mentions overlap and commit together.
    public static func workers(for configuration: EngineConfiguration) -> Int {
        max(1, configuration.maxConcurrentReplies) * 8
    }

    private func runWorkers() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.workers(for: configuration) {
                group.addTask {
                    while let entry = await self.queue.next() {
                        await self.work(on: entry)
                        await self.queue.done(entry.key)
                        // Among replicas the freed room is filled from the shared store at once.
                        self.replica?.requestFeed()
                    }
                }
            }
        }
    }

    /// Works on `entry` as it was admitted or found unfinished: the ledger's own transitions check its state, so
    /// it is not read again.
    private func work(on entry: LedgerEntry) async {
        let key = entry.key
        guard let adapter = adapters.first(where: { $0.platform == key.platform }),
              let identity = state.withLock({ $0.identities[key.platform] }) else { return }
        do {
            if entry.state == .posting {
                // Taken over from a replica that stopped while posting: resolved as after a restart.
                try await processor.resumePosting(entry, adapter: adapter)
            } else {
                try await processor.process(entry, adapter: adapter, identity: identity)
            }
        } catch let error as BotError where error.code == .platformStopped {
            stop(key.platform, reason: error.description)
        } catch is CancellationError {
            logger.notice("work interrupted; resumes on next start",
                          metadata: ["platform": "\(key.platform)", "mention.id": "\(key.id)"])
        } catch {
            logger.error("mention processing failed", metadata: ["platform": "\(key.platform)",
                                                                  "mention.id": "\(key.id)", "error": "\(error)"])
            await markFailedIfExhausted(key, error: error)
        }
    }

    /// A storage hiccup leaves the mention resumable; after `maxAttempts` it is failed with the reason.
    private func markFailedIfExhausted(_ key: MentionKey, error: any Error) async {
        guard let entry = try? await store.entry(key), entry.state.isUnfinished else { return }
        if entry.attempts >= configuration.maxAttempts {
            try? await store.finish(key, state: .failed, reason: "error: \(error)", at: now())
            observer(.failed(entry.message, reason: "error: \(error)"))
        }
    }

    // MARK: Pruning

    private func pruneLoop() async {
        guard configuration.retentionDays > 0 else { return }
        while !Task.isCancelled {
            let cutoff = now().addingTimeInterval(-Double(configuration.retentionDays) * 86_400)
            do {
                let mentions = try await store.prune(before: cutoff)
                let logged = try await store.pruneLog(before: cutoff)
                if mentions + logged > 0 {
                    logger.info("pruned", metadata: ["mentions": "\(mentions)", "log": "\(logged)"])
                }
            } catch {
                logger.warning("pruning failed", metadata: ["error": "\(error)"])
            }
            do { try await clock.sleep(for: .seconds(3600)) } catch { return }
        }
    }
}
