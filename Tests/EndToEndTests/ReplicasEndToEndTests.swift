import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport
import Testing

/// Three `replytensor run` replicas (the real binary) sharing one PostgreSQL store — a private cluster this test
/// starts on 127.0.0.1 — with Telegram, Discord and X enabled, a burst of 3 × 300 mentions, and `kill -9` of the
/// polling replica twice and of another replica once, mid-burst (each killed replica is started again).
@Suite("Replicas on PostgreSQL (real binary): 3 replicas, 3 platforms, kills", .serialized)
struct ReplicasEndToEndTests {
    static let leaseSeconds = 3
    static let replicaCount = 3

    @Test("3 replicas × 3 platforms × 300 mentions, 3 × kill -9: 0 duplicates, 0 lost, rules kept in sum, takeovers")
    func replicasSurviveKills() async throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.newDatabase()
        let world = try await WholeBotWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig(store: cluster.url(database: database),
                              botExtra: #"store_password_env = "REPLYTENSOR_STORE_PASSWORD""#)
        let secret = ["REPLYTENSOR_STORE_PASSWORD": cluster.password]
        let environment = world.environment.merging(secret) { $1 }
        let replicas = ReplicaSet(world: world, environment: environment, count: Self.replicaCount,
                                  leaseSeconds: Self.leaseSeconds)
        try replicas.writeConfigs()
        for index in 0..<Self.replicaCount { try replicas.start(index) }
        let watching = await WholeBotWorld.wait(timeout: .seconds(60)) {
            let polled = await !world.twitter.x.recorder.requests(path: "/mentions").isEmpty
            return polled
        }
        let discordWatching = await world.discord.waitUntilWatching(timeout: .seconds(60))
        #expect(watching && discordWatching, "the replicas never started watching:\n\(replicas.outputs)")

        let telegramMessages = try await world.telegram.burst(chats: 30, perChat: 10)
        let (_, discordMessages) = try await world.discord.burst(channels: 30, perChannel: 10)
        let tweets = await world.twitter.mentions(300)
        let expected = ["telegram": telegramMessages.count, "discord": discordMessages.count, "twitter": tweets.count]

        // kill -9 the replica polling Telegram twice, and a replica that does not poll once; measure each takeover.
        var takeovers: [Duration] = []
        for round in 0..<3 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 1500...3000)))
            let leases = try await replicas.pollingLeases()
            guard let poller = leases["poll:telegram"] else {
                Issue.record("no replica holds the Telegram lease: \(leases)")
                break
            }
            let victim = round < 2 ? poller : (try await replicas.nonPolling(leases)) ?? poller
            let killedAt = ContinuousClock.now
            try await replicas.kill9(name: victim)
            if victim == poller {
                let taken = await WholeBotWorld.wait(timeout: .seconds(60)) {
                    let now = (try? await replicas.pollingLeases()) ?? [:]
                    return now["poll:telegram"].map { $0 != victim } ?? false
                }
                #expect(taken, "no replica took the Telegram lease over from \(victim)")
                takeovers.append(ContinuousClock.now - killedAt)
            }
            try replicas.restart(name: victim)
        }

        var ledgers: [String: [String: Int]] = [:]
        let settled = await WholeBotWorld.wait(timeout: .seconds(240)) {
            ledgers = (try? await world.ledgers(extra: secret)) ?? [:]
            return expected.allSatisfy { platform, count in LedgerCounts.finished(ledgers[platform] ?? [:]) == count }
        }
        #expect(settled, "not settled: \(ledgers)\n\(replicas.outputs)")
        let status = try await world.status(extra: secret)
        let listed = (status["replicas"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(listed).isSuperset(of: Set(replicas.liveNames)), "status lists the replicas: \(listed)")
        await replicas.terminateAll()

        ledgers = (status["mentions"] as? [String: [String: Int]]) ?? [:]
        let counts = ["telegram": await world.telegram.replyCounts(telegramMessages),
                      "discord": await world.discord.replyCounts(discordMessages),
                      "twitter": await world.twitter.replyCounts(tweets)]
        for (platform, replyCounts) in counts {
            let ledger = ledgers[platform] ?? [:]
            #expect(replyCounts.allSatisfy { $0 <= 1 }, "\(platform): a mention got two replies")
            let replied = replyCounts.filter { $0 == 1 }.count
            #expect(replied >= ledger["answered"] ?? 0, "\(platform): \(ledger)")
            #expect(replied <= (ledger["answered"] ?? 0) + (ledger["unknown"] ?? 0), "\(platform): \(ledger)")
            #expect(LedgerCounts.finished(ledger) == expected[platform], "\(platform): every mention recorded")
            let reasons = (status["recent_failures"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            #expect((ledger["failed"] ?? 0) == 0, "\(platform): nothing failed: \(ledger); \(reasons.prefix(5))")
        }
        let unknown = status["unknown"] as? [[String: Any]] ?? []
        #expect(unknown.allSatisfy { ($0["reason"] as? String)?.hasPrefix("interrupted while posting") == true },
                "unknown only for posts cut by a kill: \(unknown)")
        #expect(unknown.count <= 3 * 8, "more posts cut than could be in flight at three kills")

        // The platforms' rules, kept by the three replicas together.
        let telegramViolations = await world.telegram.telegram.violations
        #expect(telegramViolations.total == 0, "Telegram: \(telegramViolations)")
        // One long poll per token: only a replica killed while polling can leave one open that the next overlaps.
        let conflicts = await world.telegram.telegram.conflicts
        #expect(conflicts <= 2, "overlapping getUpdates: \(conflicts)")
        let discordViolations = await world.discord.discord.violations
        #expect(discordViolations.total == 0, "Discord: \(discordViolations)")
        let xViolations = await world.twitter.x.violations
        #expect(xViolations.requestsWhileExhausted == 0 && xViolations.duplicates == 0, "X: \(xViolations)")

        let replies = counts.values.reduce(0) { $0 + $1.filter { $0 == 1 }.count }
        let mentions = expected.values.reduce(0, +)
        let takeoverText = takeovers.map { "\($0)" }
        print("replicas: \(Self.replicaCount) replicas, lease \(Self.leaseSeconds) s, \(mentions) mentions, "
              + "\(replies) replies, ledgers \(ledgers), unknown \(unknown.count), takeovers \(takeoverText), "
              + "telegram conflicts \(conflicts)")
    }
}

/// The replicas of one test: `replica-N.toml` each (their own name and metrics port), started and killed by name.
final class ReplicaSet: @unchecked Sendable {
    let world: WholeBotWorld
    let environment: [String: String]
    let count: Int
    let leaseSeconds: Int
    private let lock = NSLock()
    private var processes: [String: BotProcess] = [:]
    private var killed: [BotProcess] = []

    init(world: WholeBotWorld, environment: [String: String], count: Int, leaseSeconds: Int) {
        self.world = world
        self.environment = environment
        self.count = count
        self.leaseSeconds = leaseSeconds
    }

    static func name(_ index: Int) -> String { "replica-\(index)" }

    /// From the world's `replytensor.toml`: one file per replica with its name and its own metrics port.
    func writeConfigs() throws {
        let base = try String(contentsOf: world.folder.appendingPathComponent("replytensor.toml"), encoding: .utf8)
        for index in 0..<count {
            let text = base.replacingOccurrences(of: "listen = \"127.0.0.1:\(world.metricsPort)\"",
                                                 with: "listen = \"127.0.0.1:\(try LoopbackPort.free())\"")
                + "\n[replica]\nname = \"\(Self.name(index))\"\nlease_seconds = \(leaseSeconds)\n"
            try text.write(to: world.folder.appendingPathComponent("\(Self.name(index)).toml"), atomically: true,
                           encoding: .utf8)
        }
    }

    func start(_ index: Int) throws {
        let name = Self.name(index)
        let process = try BotProcess(["run", "--config", "\(name).toml"], folder: world.folder,
                                     environment: environment)
        lock.withLock { processes[name] = process }
    }

    func restart(name: String) throws {
        guard let index = (0..<count).first(where: { Self.name($0) == name }) else { return }
        try start(index)
    }

    func kill9(name: String) async throws {
        guard let process = lock.withLock({ processes.removeValue(forKey: name) }) else { return }
        process.signal(SIGKILL)
        #expect(await process.waitForExit(timeout: .seconds(10)) != nil)
        lock.withLock { killed.append(process) }
    }

    var liveNames: [String] { lock.withLock { Array(processes.keys) } }

    /// Lease name → holder, from `status --json` (live replicas only).
    func pollingLeases() async throws -> [String: String] {
        var holders: [String: String] = [:]
        let secret = ["REPLYTENSOR_STORE_PASSWORD": environment["REPLYTENSOR_STORE_PASSWORD"] ?? ""]
        for replica in try await world.status(extra: secret)["replicas"] as? [[String: Any]] ?? [] {
            guard replica["live"] as? Bool == true, let name = replica["name"] as? String else { continue }
            for lease in replica["leases"] as? [String] ?? [] { holders[lease] = name }
        }
        return holders
    }

    /// A live replica holding no lease.
    func nonPolling(_ leases: [String: String]) async throws -> String? {
        let holders = Set(leases.values)
        return liveNames.sorted().first { !holders.contains($0) }
    }

    func terminateAll() async {
        let all = lock.withLock { Array(processes.values) }
        for process in all { process.signal(SIGTERM) }
        for process in all {
            let status = await process.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "a replica did not stop cleanly:\n\(process.output.suffix(2000))")
        }
    }

    var outputs: String {
        lock.withLock { processes.map { "\($0.key):\n\($0.value.output.suffix(1500))" }.joined(separator: "\n") }
    }
}
