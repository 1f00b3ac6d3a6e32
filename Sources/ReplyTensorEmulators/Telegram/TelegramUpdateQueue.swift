/// The updates waiting for the bot, modelled on the Bot API server's queue: tdlib's `TQueue`
/// (tdlib/td `tddb/td/db/TQueue.cpp`) as `getUpdates` reads it (tdlib/telegram-bot-api
/// `telegram-bot-api/Client.cpp`, `Client::do_get_updates`).
///
/// - Ids are per server: a new queue starts at a random id (`TQueueImpl::push`: `Random::fast(2 * MAX_QUEUE_EVENTS + 1,
///   EventId::MAX_ID / 2)`), and so does a queue that was forgotten — the Bot API documents it for `update_id`: "If
///   there are no new updates for at least a week, then identifier of the next update will be chosen randomly
///   instead of sequentially." `reset(to:)` plays that (or a switch between the cloud and a local Bot API server).
/// - An offset the queue cannot place — more than 10 past its tail ("Specified from_id is in the future") or more
///   than `2 * MAX_QUEUE_EVENTS` before it ("in the past") — confirms nothing: `do_get_updates` then answers from the
///   queue's head. Any other offset confirms (forgets) every update below it.
/// - A negative offset keeps only the last `-offset` updates (`tqueue->clear`), then reads from the head.
struct TelegramUpdateQueue: Sendable {
    struct Event: Sendable {
        var id: Int64
        var json: String
    }

    /// `TQueueImpl::MAX_QUEUE_EVENTS`.
    static let maxQueueEvents: Int64 = 1_000_000
    /// `TQueue::EventId::MAX_ID`.
    static let maxID: Int64 = 2_000_000_000
    /// The range a new queue's first id is drawn from.
    static let randomIDs: Range<Int64> = (2 * maxQueueEvents + 1)..<(maxID / 2)

    private(set) var events: [Event] = []
    /// The id the next update gets (`tail_id`).
    private(set) var tail: Int64

    /// A queue whose first update gets `firstID`, or a random id like a new queue on a real server.
    init(firstID: Int64? = nil) {
        tail = firstID ?? Int64.random(in: Self.randomIDs)
    }

    /// The first pending update's id, or the tail when nothing is pending.
    var head: Int64 { events.first?.id ?? tail }

    /// Appends an update whose JSON `make` writes from its id; returns the id.
    mutating func push(_ make: (Int64) -> String) -> Int64 {
        let id = tail
        tail += 1
        events.append(Event(id: id, json: make(id)))
        return id
    }

    /// The queue is forgotten (a week without updates, or another server): pending updates go and the next update
    /// gets `nextID`, or a random id below the current ones (the case that leaves a client's offset "in the future").
    mutating func reset(to nextID: Int64? = nil) {
        events.removeAll()
        let below = Self.randomIDs.lowerBound..<max(Self.randomIDs.lowerBound + 1, tail - 11)
        tail = nextID ?? Int64.random(in: below)
    }

    /// `deleteWebhook` with `drop_pending_updates`: the pending updates go, the ids go on.
    mutating func dropPending() { events.removeAll() }

    /// Applies a negative offset (keeps the last `-offset` updates) and returns the offset reads start from.
    mutating func start(offset: Int64) -> Int64 {
        guard offset < 0 else { return offset == 0 ? head : offset }
        let keep = Int(min(Int64(events.count), -offset))
        events.removeFirst(events.count - keep)
        return head
    }

    /// Whether the queue can place `offset` (otherwise reads fall back to the head and confirm nothing).
    func accepts(_ offset: Int64) -> Bool {
        offset <= tail + 10 && offset >= tail - 2 * Self.maxQueueEvents
    }

    /// `do_get_updates`: confirms the updates below an acceptable `offset`, then returns at most `limit` updates
    /// from it (from the head when the offset is not acceptable).
    mutating func read(from offset: Int64, limit: Int) -> [Event] {
        if accepts(offset) {
            events.removeAll { $0.id < offset }
            return Array(events.filter { $0.id >= offset }.prefix(limit))
        }
        return Array(events.prefix(limit))
    }
}
