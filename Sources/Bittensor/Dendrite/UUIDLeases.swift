/// Axons require strictly increasing nonces per `hotkey:uuid`; concurrent requests under one uuid can arrive out
/// of order and the later-signed one wins, so the earlier is refused with 401. Each request in flight therefore
/// leases its own uuid (`<base>`, `<base>-1`, …): under one uuid requests are sequential, and the pool stays as
/// small as the peak concurrency.
public actor UUIDLeases {
    private let base: String
    private var free: [String] = []
    private var created = 0

    public init(base: String) { self.base = base }

    public func acquire() -> String {
        if let uuid = free.popLast() { return uuid }
        defer { created += 1 }
        return created == 0 ? base : "\(base)-\(created)"
    }

    public func release(_ uuid: String) { free.append(uuid) }
}
