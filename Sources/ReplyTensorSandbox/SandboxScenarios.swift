import Foundation

/// The scenarios `replytensor sandbox --scenario NAME` plays.
public enum SandboxScenarios {
    public static let names = ["tour", "subnet", "burst", "faults", "crash", "replicas"]

    /// Whether the scenario runs the bot in this process (crash and replicas run it as child processes).
    public static func runsEngineInProcess(_ name: String) -> Bool { !runsChildren(name) }
    static func runsChildren(_ name: String) -> Bool { name == "crash" || name == "replicas" }

    public static func play(_ name: String, in world: SandboxWorld) async throws -> SandboxSummary {
        let start = ContinuousClock.now
        let memory = PeakMemory.start()
        var summary: SandboxSummary
        switch name {
        case "subnet": summary = try await SubnetScenario().play(in: world)
        case "burst": summary = try await BurstScenario(perPlatform: 100, faultRate: 0).play(in: world)
        case "faults": summary = try await BurstScenario(perPlatform: 40, faultRate: 0.2).play(in: world)
        case "crash": summary = try await CrashScenario().play(in: world)
        case "replicas": summary = try await ReplicasScenario().play(in: world)
        default:
            summary = try await TourScenario().play(in: world)
            try await TwitterTourScenario().play(in: world, summary: &summary)
            await world.subnet.report(in: world, summary: &summary)
        }
        summary.seconds = (ContinuousClock.now - start).seconds
        if !runsChildren(name) {
            let snapshot = world.transcript.snapshot
            summary.mentions = snapshot.admitted
            summary.skipped = snapshot.skipped
            summary.failed = snapshot.failed
            summary.rejected = snapshot.rejected
            summary.latencies = snapshot.latencies
            summary.unknown = snapshot.unknown
            summary.peakRSSBytes = await memory.stop()
        } else {
            _ = await memory.stop()
        }
        summary.violations += await world.telegram.violations.total + world.twitter.violations.total
        summary.violations += await world.discord.violations.total
        return summary
    }
}
