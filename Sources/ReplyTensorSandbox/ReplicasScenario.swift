import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorPostgres
import ReplyTensorTestSupport

/// `--scenario replicas`: three replicas (`replytensor run`, this same executable) share one PostgreSQL store — a
/// private cluster started here on 127.0.0.1 and stopped at the end — against the emulators. Mid-burst the replica
/// polling Telegram is killed with SIGKILL twice and another replica once (each started again); another replica takes
/// the polling lease over, and the claims of the dead one expire and are resumed. Afterwards no mention may have two
/// replies and every mention must be answered or recorded.
public struct ReplicasScenario {
    var replicas = 3
    var perBatch = 30
    var leaseSeconds = 3

    func play(in world: SandboxWorld) async throws -> SandboxSummary {
        var summary = SandboxSummary(scenario: "replicas")
        let say = world.transcript.say
        let cluster: PostgresCluster
        do {
            cluster = try PostgresCluster.start()
        } catch {
            say("\n— PostgreSQL is needed for this scenario and could not be started: \(error)")
            say("  Install it with scripts/setup.sh (or: sudo apt-get install postgresql), then run the scenario again.")
            summary.expect("PostgreSQL is installed (scripts/setup.sh installs it)", false, "\(error)")
            return summary
        }
        defer { cluster.stop() }
        let database = try cluster.newDatabase()
        let url = cluster.url(database: database)
        say("\n— a private PostgreSQL cluster on 127.0.0.1:\(cluster.port) (data in \(cluster.folder.path)); store \(url)")
        let children = try startReplicas(world, url: url, password: cluster.password)
        let observer = try await PostgresStore.open(
            location: try PostgresLocation(parsing: url), password: cluster.password,
            replica: ReplicaIdentity(name: "sandbox-observer", host: "localhost", pid: Int(getpid())),
            leaseSeconds: Double(leaseSeconds), logger: Logger(label: "sandbox.observer"))
        defer { Task { await observer.close() } }
        await world.twitter.setRateLimit(.createTweet, limit: 10_000, windowSeconds: 900)
        let watching = await CrashScenario.waitUntilWatching(world)
        summary.expect("the replicas watch every Discord channel and poll X", watching,
                       await CrashScenario.watchDetail(world))

        var injected = BurstScenario.Injected()
        var takeovers: [Double] = []
        let start = ContinuousClock.now
        for round in 0...3 {
            let batch = try await BurstScenario.inject(perBatch, in: world, offset: round * perBatch)
            injected.telegram += batch.telegram
            injected.discord += batch.discord
            injected.twitter += batch.twitter
            say("  round \(round + 1): \(perBatch) mentions on each platform injected")
            guard round < 3 else { break }
            try await Task.sleep(for: .milliseconds(Int.random(in: 600...1500)))
            let leases = try await Self.leases(observer)
            let poller = leases[Self.telegramLease]
            let victim = round < 2 ? poller : children.keys.sorted().first { !Set(leases.values).contains($0) }
            guard let victim, let child = children[victim] else {
                summary.expect("a replica holds the Telegram polling lease", false, "\(leases)")
                break
            }
            let killedAt = ContinuousClock.now
            await child.kill9()
            say("  kill -9 \(victim)\(victim == poller ? " (polling)" : "")")
            if victim == poller {
                let taken = await world.wait(timeout: .seconds(30)) {
                    let holder = (try? await Self.leases(observer))?[Self.telegramLease]
                    return holder != nil && holder != victim
                }
                let seconds = (ContinuousClock.now - killedAt).seconds
                summary.expect("another replica took polling over after kill \(round + 1)", taken)
                if taken {
                    takeovers.append(seconds)
                    let holder = (try? await Self.leases(observer))?[Self.telegramLease] ?? "?"
                    say("  \(holder) took the Telegram lease over after \(String(format: "%.1f", seconds)) s")
                }
            }
            try child.start()
            say("  \(victim) started again as pid \(child.pid)")
        }
        let (answeredAll, end) = try await CrashScenario.waitForReplies(world, injected: injected)
        for child in children.values { await child.terminate() }
        say("  replicas stopped with SIGTERM; reading the shared ledger")
        try await CrashScenario.judge(world, store: observer, injected: injected, answeredAll: answeredAll,
                                      seconds: (end - start).seconds, kills: 3, summary: &summary)
        summary.figures["replicas"] = Double(replicas)
        summary.figures["lease seconds"] = Double(leaseSeconds)
        for (index, seconds) in takeovers.enumerated() { summary.figures["takeover \(index + 1) s"] = seconds }
        summary.expect("each takeover within lease_seconds plus one poll (+2 s for the check)",
                       takeovers.allSatisfy { $0 <= Double(leaseSeconds) + 4 },
                       takeovers.map { String(format: "%.1f s", $0) }.joined(separator: ", "))
        return summary
    }

    static let telegramLease = "poll:telegram"

    /// Lease name → holder, for live replicas.
    static func leases(_ store: PostgresStore) async throws -> [String: String] {
        var holders: [String: String] = [:]
        for replica in try await store.replicas() {
            for lease in replica.leases { holders[lease] = replica.name }
        }
        return holders
    }

    /// Writes `replica-N.toml` (the sandbox's configuration on the shared store, with the replica's name) and starts
    /// each replica.
    private func startReplicas(_ world: SandboxWorld, url: String, password: String) throws -> [String: BotChild] {
        var children: [String: BotChild] = [:]
        let environment = world.environment.merging(["REPLYTENSOR_STORE_PASSWORD": password]) { $1 }
        for index in 1...replicas {
            let name = "replica-\(index)"
            let configURL = world.folder.appendingPathComponent("\(name).toml")
            let text = world.configText
                .replacingOccurrences(of: "store = \"sandbox.sqlite\"",
                                      with: "store = \"\(url)\"\nstore_password_env = \"REPLYTENSOR_STORE_PASSWORD\"")
                .replacingOccurrences(of: "level = \"critical\"", with: "level = \"info\"")
                + "\n[replica]\nname = \"\(name)\"\nlease_seconds = \(leaseSeconds)\n"
            try text.write(to: configURL, atomically: true, encoding: .utf8)
            let child = try BotChild(configURL: configURL, environment: environment,
                                     log: world.folder.appendingPathComponent("\(name).log"))
            try child.start()
            world.transcript.say("  \(name) started as pid \(child.pid)")
            children[name] = child
        }
        return children
    }
}
