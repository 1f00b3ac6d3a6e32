/// Where the next `getUpdates` starts: one past the highest `update_id` received, as the mature clients do
/// (python-telegram-bot's `Updater`, aiogram and Telegraf all take the next offset from the updates of the last
/// answer), never `max(stored, received)`.
///
/// The Bot API server answers an offset it cannot place — "in the future" of its queue — from the head of the queue
/// (tdlib/telegram-bot-api `Client::do_get_updates`). That happens when Telegram picks a new random `update_id` after
/// a week without updates, and when `api_base` moves between the cloud and a local Bot API server (each has its own
/// ids). A received id below the stored offset shows it; the offset then moves down to the received ids, which
/// confirms them on the next call. An offset that only moved forward would ask for the same page forever.
struct TelegramOffset: Sendable {
    /// The offset the page was asked for.
    let stored: Int64?
    private(set) var lowest: Int64?
    private(set) var highest: Int64?

    init(stored: Int64?) { self.stored = stored }

    /// Notes one update id of the answer (addressed, ignored or malformed).
    mutating func received(_ id: Int64) {
        lowest = min(lowest ?? id, id)
        highest = max(highest ?? id, id)
    }

    /// The offset for the next call, nil when it would not change (no update with a readable id came back).
    var next: Int64? {
        guard let highest else { return nil }
        let next = highest &+ 1
        return next == stored ? nil : next
    }

    /// True when the server ignored the stored offset: it sent an update the offset had already confirmed.
    var isReset: Bool {
        guard let stored, stored > 0, let lowest else { return false }
        return lowest < stored
    }
}
