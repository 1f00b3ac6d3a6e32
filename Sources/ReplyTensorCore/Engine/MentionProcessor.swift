import Foundation
import Logging

/// Walks one mention from `received` to a final state: guards, plugins, policy, responder, fitting, sending.
struct MentionProcessor: Sendable {
    /// Longer than any platform allows (X's long posts: 25,000): such input is hostile and never sent to a responder.
    static let maxMentionCharacters = 32_000
    /// How long an answer may take before the platform shows the bot typing.
    static let typingDelay: Duration = .milliseconds(400)

    let configuration: EngineConfiguration
    let store: any BotStore
    let responder: any Responder
    let plugins: [any Plugin]
    let gate: SendGate
    let policy: PolicyGate
    /// Responder calls at once.
    let responderSlots: Slots
    /// Mentions between their `posting` mark and their last part, at once.
    let postingSlots: Slots
    /// False while this replica cannot prove its claims (a shared store it cannot reach): nothing is posted then.
    let claimsHeld: @Sendable () -> Bool
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    let observer: EngineObserver
    let logger: Logger

    /// Processes a mention that is `received` or `responding` (resumed), as the ledger holds it.
    func process(_ entry: LedgerEntry, adapter: any PlatformAdapter, identity: BotIdentity) async throws {
        let message = entry.message
        var logger = logger
        logger[metadataKey: "platform"] = "\(message.platform)"
        logger[metadataKey: "mention.id"] = "\(message.id)"

        let chain = try await replyChain(above: message)
        if let reason = guardReason(message, identity: identity, chain: chain) {
            return try await skip(message, reason: reason, logger: logger)
        }
        let context = PluginContext(identity: identity, botName: configuration.botName,
                                    botRepliesInChain: Self.consecutiveBotReplies(in: chain, author: message.author.id))
        var directAnswer: String?
        for plugin in plugins {
            switch await plugin.inspect(message, context: context) {
            case .proceed: continue
            case .skip(let reason): return try await skip(message, reason: reason, logger: logger)
            case .answer(let text): directAnswer = text
            }
            if directAnswer != nil { break }
        }
        let logged = LoggedMessage(
            platform: message.platform, chatID: message.chat.id, messageID: message.platformMessageID,
            parentID: message.replyTo?.id, authorID: message.author.id, authorName: message.author.readableName,
            fromBot: false, text: message.text, at: message.createdAt)
        switch try await policy.claim(entry, ledger: store, logging: logged) {
        case .claimed: break
        case .refused(let reason): return try await skip(message, reason: reason, logger: logger)
        case .notClaimable: return
        }

        let completion: Completion?
        if let directAnswer {
            completion = Completion(text: directAnswer, backend: "local", source: "plugin")
        } else {
            completion = try await respondOrFail(message, adapter: adapter, identity: identity, chain: chain,
                                                 logger: logger)
            if completion == nil { return }
        }
        let rules = adapter.rules
        let replyContext = ReplyContext(allowances: rules.output)
        var shaped = completion?.text ?? ""
        for plugin in plugins { shaped = plugin.shape(reply: shaped, for: message, context: replyContext) }
        let parts = ReplyFitter.fit(shaped, rule: rules.length, overflow: rules.overflow, maxParts: rules.maxParts)
        guard !parts.isEmpty else {
            try await store.finish(message.key, state: .failed, reason: "responder: empty answer", at: now())
            observer(.failed(message, reason: "responder: empty answer"))
            return
        }
        // Wait out the platform's send windows before the mention is marked as posting: a crash while it waits
        // leaves it resumable, not `unknown` (only a post really on its way may be unknown).
        try await enterPosting(message, rules: rules.sendRules)
        defer { postingSlots.release() }
        try await store.beginPosting(message.key, parts: parts, backend: completion?.backend, at: now())
        try await send(message, parts: parts, alreadyPosted: [], adapter: adapter, completion: completion, logger: logger)
    }

    /// Sends the parts not yet posted, recording each before the next leaves.
    func send(_ message: InboundMessage, parts: [String], alreadyPosted: [String], adapter: any PlatformAdapter,
              completion: Completion?, logger: Logger) async throws {
        var replyIDs = alreadyPosted
        let rules = adapter.rules
        var postAttempts = 0
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
        while replyIDs.count < parts.count {
            let index = replyIDs.count
            let wait = try await gate.reserve(for: message, rules: rules.sendRules)
            if wait > .zero {
                try await clock.sleep(for: wait)
                continue
            }
            let key = message.key
            let part = parts[index]
            guard claimsHeld() else {
                // Another replica may own the mention once its claim expires; it resumes under the resume rules.
                try? await gate.settle(message)
                throw BotError(.storage, "this replica cannot prove its claim on \(key) (the store does not answer); "
                                   + "not posting")
            }
            // A post is not cancelled half-way: it runs in its own task so shutdown lets it finish.
            let outcome = await Task {
                try await adapter.post(part, replyingTo: message, part: index, idempotencyKey: "\(key):\(index)")
            }.result
            try await gate.settle(message)
            switch outcome {
            case .success(let replyID):
                replyIDs.append(replyID)
                let date = now()
                try await store.recordPosted(key, replyID: replyID, logging: LoggedMessage(
                    platform: message.platform, chatID: message.chat.id, messageID: replyID,
                    parentID: message.platformMessageID, authorID: "self", authorName: configuration.botName,
                    fromBot: true, text: part, at: date), answered: replyIDs.count == parts.count, at: date)
            case .failure(let error):
                let error = error as? BotError ?? BotError(.platform, "\(error)", platform: message.platform,
                                                            delivery: .unknown, underlying: error)
                if error.code == .rateLimited, !error.isPermanent {
                    let wait = error.retryAfter ?? .seconds(1)
                    let scope = error.scope ?? SendGate.chatScope(message.chat.id)
                    try await gate.block(message.platform, scope: scope, for: wait, reason: error.message)
                    observer(.rateLimited(message.platform, scope: scope, wait: wait))
                    logger.notice("rate limited; waiting", metadata: ["wait": "\(wait)", "scope": "\(scope)"])
                    continue
                }
                if error.delivery == .unknown && !rules.idempotentPost {
                    let reason = "post outcome unknown: \(error.message)"
                    logger.error("post may or may not have been delivered; not resending", metadata: ["error": "\(error)"])
                    try await store.finish(key, state: .unknown, reason: reason, at: now())
                    observer(.unknown(message, reason: reason))
                    return
                }
                postAttempts += 1
                if error.isRetryable && postAttempts < configuration.maxPostAttempts {
                    let wait = backoff.next()
                    logger.warning("post failed; retrying", metadata: ["error": "\(error)", "wait": "\(wait)"])
                    try await clock.sleep(for: wait)
                    continue
                }
                if !replyIDs.isEmpty {
                    // Part of the answer is out: the mention is answered, and the rest is recorded as lost.
                    let reason = "partial: \(replyIDs.count)/\(parts.count) parts; \(error.message)"
                    try await store.finish(key, state: .answered, reason: reason, at: now())
                    observer(.answered(message, parts: Array(parts.prefix(replyIDs.count)), replyIDs: replyIDs,
                                       completion: completion))
                    return
                }
                let reason = "post: \(error)"
                logger.warning("post failed", metadata: ["error": "\(error)"])
                try await store.finish(key, state: .failed, reason: reason, at: now())
                observer(.failed(message, reason: reason))
                if error.code == .platformStopped { throw error }
                return
            }
        }
        if alreadyPosted.count == parts.count {
            // Every part was out before a restart; the last one's record did not finish the mention.
            try await store.finish(message.key, state: .answered, reason: nil, at: now())
        }
        logger.info("answered", metadata: ["parts": "\(parts.count)", "backend": "\(completion?.backend ?? "-")"])
        observer(.answered(message, parts: parts, replyIDs: replyIDs, completion: completion))
    }

    /// Returns holding a posting slot once the mention's send windows are open. The slot is taken first: the
    /// mentions waiting for a window are then at most the slots, as when every worker waited for its own (waiting
    /// without one, every mention in flight woke at each opening window to find it taken).
    private func enterPosting(_ message: InboundMessage, rules: [SendRule]) async throws {
        try await postingSlots.acquire()
        do {
            while case let wait = try await gate.pending(for: message, rules: rules), wait > .zero {
                try await clock.sleep(for: wait)
            }
        } catch {
            postingSlots.release()
            throw error
        }
    }

    /// Resumes a mention that a crash left in `posting`.
    func resumePosting(_ entry: LedgerEntry, adapter: any PlatformAdapter) async throws {
        var logger = logger
        logger[metadataKey: "platform"] = "\(entry.message.platform)"
        logger[metadataKey: "mention.id"] = "\(entry.message.id)"
        let message = entry.message
        if adapter.rules.resendIsDeduplicated(postingSince: entry.updatedAt, now: now()) {
            logger.notice("resuming an interrupted post (the platform de-duplicates resends)")
            return try await send(message, parts: entry.replyParts, alreadyPosted: entry.replyIDs, adapter: adapter,
                                  completion: nil, logger: logger)
        }
        if adapter.rules.idempotentPost {
            logger.notice("the platform no longer de-duplicates this interrupted post; looking for an earlier reply")
        }
        let found: [String]?
        do {
            found = try await adapter.reconcile(message)
        } catch {
            logger.warning("could not look for an earlier reply", metadata: ["error": "\(error)"])
            found = nil
        }
        switch found {
        case .some(let ids) where !ids.isEmpty:
            for id in ids.dropFirst(entry.replyIDs.count) {
                try await store.recordPosted(message.key, replyID: id, at: now())
            }
            try await store.finish(message.key, state: .answered, reason: "reconciled after restart", at: now())
            observer(.answered(message, parts: entry.replyParts, replyIDs: ids, completion: nil))
        case .some:
            logger.notice("no earlier reply found; sending")
            try await send(message, parts: entry.replyParts, alreadyPosted: entry.replyIDs, adapter: adapter,
                           completion: nil, logger: logger)
        case .none:
            let reason = "interrupted while posting; the reply may or may not exist"
            logger.error("mention left in posting by a crash; marked unknown, not resent")
            try await store.finish(message.key, state: .unknown, reason: reason, at: now())
            observer(.unknown(message, reason: reason))
        }
    }

    // MARK: Steps

    /// The always-on guards: never the bot itself, never other bots, never a loop.
    func guardReason(_ message: InboundMessage, identity: BotIdentity, chain: [LoggedMessage]) -> String? {
        if message.author.id == identity.id { return "guard.own_message" }
        if message.author.isBot { return "guard.bot_author" }
        if message.text.unicodeScalars.count > Self.maxMentionCharacters { return "guard.too_long" }
        if configuration.maxConsecutiveReplies > 0,
           Self.consecutiveBotReplies(in: chain, author: message.author.id) >= configuration.maxConsecutiveReplies {
            return "guard.loop"
        }
        return nil
    }

    /// A message of `message`'s chat from the conversation log.
    private func loggedMessage(_ id: String, in message: InboundMessage) async throws -> LoggedMessage? {
        try await store.logged(platform: message.platform, chatID: message.chat.id, messageID: id)
    }

    /// The logged messages above `message` (its parent first), read once for the guards and the conversation.
    func replyChain(above message: InboundMessage) async throws -> [LoggedMessage] {
        guard let parent = message.replyTo?.id else { return [] }
        return try await store.chain(platform: message.platform, chatID: message.chat.id, from: parent, limit: 64)
    }

    /// The bot's replies in `chain`, counted while the chain alternates between the bot and `author`.
    static func consecutiveBotReplies(in chain: [LoggedMessage], author: String) -> Int {
        var count = 0
        for logged in chain {
            if logged.fromBot {
                count += 1
            } else if logged.authorID != author {
                break
            }
        }
        return count
    }

    /// One typing indicator. A 429 on it is a flood wait for the chat like any other: honoured and persisted, so
    /// the reply that follows is not sent into it; other typing failures do not matter. The request runs in its own
    /// task so that the answer arriving (which cancels typing) does not abandon it half-way, unaware of its 429.
    private func typing(_ message: InboundMessage, adapter: any PlatformAdapter) async {
        do {
            try await Task { try await adapter.indicateTyping(for: message) }.value
        } catch let error as BotError where error.code == .rateLimited && !error.isPermanent {
            let wait = error.retryAfter ?? .seconds(1)
            let scope = error.scope ?? SendGate.chatScope(message.chat.id)
            try? await gate.block(message.platform, scope: scope, for: wait, reason: error.message)
            observer(.rateLimited(message.platform, scope: scope, wait: wait))
        } catch {}
    }

    func skip(_ message: InboundMessage, reason: String, logger: Logger) async throws {
        logger.info("skipped", metadata: ["reason": "\(reason)"])
        try await store.finish(message.key, state: .skipped, reason: reason, at: now())
        observer(.skipped(message, reason: reason))
    }

    /// The responder chain's answer, or nil once the mention is recorded as failed: `responder: …`, or the reason of
    /// the plugins' review (`policy.denied`) when every answer given was denied.
    func respondOrFail(_ message: InboundMessage, adapter: any PlatformAdapter, identity: BotIdentity,
                       chain: [LoggedMessage], logger: Logger) async throws -> Completion? {
        do {
            return try await respond(to: message, adapter: adapter, identity: identity, chain: chain)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason: String
            if let denied = error as? AnswerDenied {
                reason = denied.reason
                logger.warning("no acceptable answer: the output policy denied it",
                               metadata: ["reason": "\(denied.reason)", "details": "\(denied.details.joined(separator: "; "))"])
            } else {
                reason = "responder: \(error)"
                logger.warning("responder failed", metadata: ["error": "\(error)"])
            }
            try await store.finish(message.key, state: .failed, reason: reason, at: now())
            observer(.failed(message, reason: reason))
            return nil
        }
    }

    /// The plugins' `review` hooks, in order: the first denial wins.
    func review(for message: InboundMessage) -> AnswerReview {
        let plugins = self.plugins
        return { answer in
            for plugin in plugins {
                let verdict = plugin.review(answer, for: message)
                if verdict != .accept { return verdict }
            }
            return .accept
        }
    }

    /// The conversation (oldest first), the responder call under a deadline, typing while it works.
    func respond(to message: InboundMessage, adapter: any PlatformAdapter, identity: BotIdentity,
                 chain: [LoggedMessage]) async throws -> Completion {
        var prompt = Prompt(persona: configuration.persona,
                            turns: try await conversation(for: message, adapter: adapter, identity: identity,
                                                          chain: chain),
                            maxCharacters: adapter.rules.length.limit * max(1, adapter.rules.maxParts),
                            platform: message.platform)
        for plugin in plugins { prompt = plugin.shape(prompt, for: message) }
        let prepared = prompt
        let responder = self.responder
        let review = self.review(for: message)
        return try await withThrowingTaskGroup(of: Completion?.self) { group in
            if let interval = adapter.rules.typingInterval {
                group.addTask {
                    // An answer that comes quickly needs no indicator (and costs no request).
                    try await clock.sleep(for: Self.typingDelay)
                    while !Task.isCancelled {
                        if !(try await gate.isBlocked(message)) {
                            await typing(message, adapter: adapter)
                        }
                        try await clock.sleep(for: interval)
                    }
                    return nil
                }
            }
            group.addTask {
                let deadline = configuration.responderDeadline
                try await responderSlots.acquire()
                defer { responderSlots.release() }
                let completion = try await withDeadline(deadline, clock: clock, onTimeout: {
                    BotError(.responder, "no answer within \(deadline)")
                }) {
                    try await responder.respond(to: prepared, review: review)
                }
                let trimmed = completion.text.trimmingWhitespace()
                guard !trimmed.isEmpty else { throw BotError(.responder, "empty answer from \(completion.backend)") }
                var result = completion
                result.text = trimmed
                return result
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let completion = next { return completion }
            }
            throw BotError(.responder, "no answer")
        }
    }

    /// Earlier turns from the bot's conversation log and the platform's context, then the mention itself.
    /// `chain` is the logged part of the chain above `message` (read once); a message beyond it (reached through the
    /// platform's context) is looked up in the log one at a time.
    func conversation(for message: InboundMessage, adapter: any PlatformAdapter, identity: BotIdentity,
                      chain: [LoggedMessage]) async throws -> [ConversationTurn] {
        let depth = configuration.contextDepth
        var turns: [ConversationTurn] = []
        if depth > 0 {
            let provided = (try? await adapter.context(of: message, depth: depth)) ?? []
            let known = Dictionary(chain.map { ($0.messageID, $0) }, uniquingKeysWith: { first, _ in first })
            var parentID = message.replyTo?.id
            var seen: Set<String> = []
            while let id = parentID, turns.count < depth, !seen.contains(id) {
                seen.insert(id)
                let logged = if let hit = known[id] { hit } else { try await loggedMessage(id, in: message) }
                if let logged {
                    turns.insert(ConversationTurn(role: logged.fromBot ? .assistant : .user, text: logged.text), at: 0)
                    parentID = logged.parentID
                } else if let earlier = provided.first(where: { $0.platformMessageID == id || $0.id == id }) {
                    let fromBot = earlier.author.id == identity.id
                    turns.insert(ConversationTurn(role: fromBot ? .assistant : .user, text: earlier.text), at: 0)
                    parentID = earlier.replyTo?.id
                } else if id == message.replyTo?.id, let text = message.replyTo?.text, !text.isEmpty {
                    let fromBot = message.replyTo?.author?.id == identity.id
                    turns.insert(ConversationTurn(role: fromBot ? .assistant : .user, text: text), at: 0)
                    parentID = nil
                } else {
                    break
                }
            }
        }
        turns.append(ConversationTurn(role: .user, text: message.text))
        return turns
    }
}
