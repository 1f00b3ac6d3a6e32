import Foundation

/// The scenarios `replytensor sandbox --scenario NAME` plays.
enum SandboxScenarios {
    static let names = ["tour", "subnet"]

    static func play(_ name: String, in world: SandboxWorld) async throws -> SandboxSummary {
        let start = ContinuousClock.now
        var summary: SandboxSummary
        switch name {
        case "subnet": summary = try await SubnetScenario().play(in: world)
        default: summary = try await TourScenario().play(in: world)
        }
        try await TwitterTourScenario().play(in: world, summary: &summary)
        summary.seconds = (ContinuousClock.now - start).seconds
        let snapshot = world.transcript.snapshot
        summary.mentions = snapshot.admitted
        summary.skipped = snapshot.skipped
        summary.failed = snapshot.failed
        summary.rejected = snapshot.rejected
        summary.latencies = snapshot.latencies
        summary.violations += await world.telegram.violations.total + world.twitter.violations.total
        summary.violations += await world.discord.violations.total
        return summary
    }
}
