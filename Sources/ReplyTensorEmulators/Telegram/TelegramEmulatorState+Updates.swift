import Foundation

// `getUpdates` and the update queue behind it: see `TelegramUpdateQueue` (what an offset confirms, where reads start)
// and `TelegramRepeatedPollRule` (what a repeated offset gets).
extension TelegramEmulatorState {
    /// A long poll as the server runs it: its generation (a newer poll ends it with 409), the offset reads start
    /// from, and the limit and timeout after the repeated-offset rule.
    struct Poll: Sendable {
        var generation: Int
        var offset: Int64
        var limit: Int
        var timeout: Int
    }

    /// Queues the `message` update for `message`.
    func queueUpdate(_ message: Message) {
        _ = queue.push { Self.json(TelegramEmulator.Update(updateId: $0, message: message)) }
    }

    /// Queues an update whose JSON the caller writes (for malformed input); returns its update id.
    func injectRaw(_ make: @Sendable (Int64) -> String) -> Int64 { queue.push(make) }

    var pendingUpdateCount: Int { queue.events.count }
    /// The id the next update gets.
    var nextUpdateID: Int64 { queue.tail }

    /// The server forgets the queue: pending updates go, and the next update gets `nextID` (random when nil, below
    /// the ids so far).
    func resetUpdateIDs(to nextID: Int64?) { queue.reset(to: nextID) }

    /// Starts a `getUpdates` call: applies the repeated-offset rule and a negative offset; a poll already waiting
    /// will answer 409.
    func beginPoll(offset: Int64?, limit: Int64?, timeout: Int64?) -> Poll {
        let call = repeatedPollRule.admit(offset: offset, limit: limit, timeout: timeout, at: clock.now)
        let start = queue.start(offset: call.offset)
        if activePoll != nil { conflicts += 1 }
        pollGeneration += 1
        activePoll = pollGeneration
        return Poll(generation: pollGeneration, offset: start, limit: call.limit, timeout: call.timeout)
    }

    /// One look at the queue for `poll` (`do_get_updates`): confirms what the offset confirms, then answers the
    /// updates from it (from the head when the offset is out of the queue's range), or waits.
    func pollStep(_ poll: Poll) -> PollStep {
        guard activePoll == poll.generation else { return .conflict }
        if queue.accepts(poll.offset) { lastConfirmedOffset = poll.offset }
        let events = queue.read(from: poll.offset, limit: poll.limit)
        return events.isEmpty ? .wait : .updates(events.map(\.json))
    }

    func endPoll(generation: Int) {
        if activePoll == generation { activePoll = nil }
    }

    func deleteWebhook(dropPending: Bool) {
        deleteWebhookCalls += 1
        webhookURL = nil
        if dropPending { queue.dropPending() }
    }
}
