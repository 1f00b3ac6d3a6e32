import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorSubnet

/// The tour's subnet sections: agreement before speed (the hostile top miner is outvoted) and fail-over between
/// the good miners.
extension TourScenario {
    /// A mention in the group while the fastest, highest-incentive miner answers spam: the bot posts the answer the
    /// good miners agree on, and the store records the hostile miner's answer as outvoted.
    func hostileMinerIsOutvoted(in world: SandboxWorld, group: TelegramEmulator.Chat, from user: TelegramEmulator.User,
                                summary: inout SandboxSummary) async throws -> TelegramEmulator.Message? {
        guard let hostile = world.subnet.miner("hostile") else { return nil }
        await world.transcript.section("Subnet: the fastest miner (uid \(hostile.uid), top incentive) answers spam; "
                                       + "the bot posts what the others agree on")
        let before = await outvotedCount(of: hostile, in: world)
        let text = "@ReplyTensorBot what do validators do?"
        let mention = try await world.telegram.inject(text: text, from: user, in: group)
        // The reply is on Telegram just before the engine reports who answered: wait for both.
        _ = await world.wait {
            await !world.telegram.replies(to: mention).isEmpty && world.transcript.answeredBy(text: text) != nil
        }
        let reply = await world.telegram.replies(to: mention).first?.text ?? ""
        let by = world.transcript.answeredBy(text: text) ?? "nobody"
        summary.expect("the agreed answer was posted, not the fastest miner's spam",
                       reply.hasPrefix("[\(SandboxSubnet.label)]") && !reply.contains("airdrop"), reply)
        summary.expect("a good miner answered, not uid \(hostile.uid)",
                       by.hasPrefix("subnet · uid ") && !by.hasPrefix("subnet · uid \(hostile.uid) "), by)
        let after = await outvotedCount(of: hostile, in: world)
        world.transcript.say("  uid \(hostile.uid) (hostile) answered “\(LocalSubnet.Miner.spam)” first; "
                             + "outvoted \(after) time(s) so far")
        summary.expect("the hostile miner (uid \(hostile.uid)) was outvoted", after > before, "\(before) → \(after)")
        return mention
    }

    /// The top good miner starts failing; the other good miners still agree and one of them answers.
    func goodMinerFailsOver(in world: SandboxWorld, group: TelegramEmulator.Chat, from user: TelegramEmulator.User,
                            summary: inout SandboxSummary) async throws -> TelegramEmulator.Message? {
        guard let top = world.subnet.miner("good"), let backup = world.subnet.miner("good (backup)"),
              let third = world.subnet.miner("good (third)") else { return nil }
        await world.transcript.section("Subnet: the top good miner (uid \(top.uid)) starts failing; the others still agree")
        await top.axon.setResponder(SandboxSubnet.failing)
        let text = "@ReplyTensorBot is the subnet still answering?"
        let failover = try await world.telegram.inject(text: text, from: user, in: group)
        _ = await world.wait { world.transcript.answeredBy(text: text) != nil }
        let by = world.transcript.answeredBy(text: text) ?? "nobody"
        summary.expect("another good miner (uid \(backup.uid) or \(third.uid)) answered when uid \(top.uid) failed",
                       [backup.uid, third.uid].contains { by.hasPrefix("subnet · uid \($0) ") }, by)
        await top.axon.setResponder(SandboxSubnet.goodResponder(world.answers))
        return failover
    }

    private func outvotedCount(of miner: SandboxSubnet.Miner, in world: SandboxWorld) async -> Int {
        let values = (try? await world.assembly.store.values(for: "subnet")) ?? [:]
        return MinerHealth.records(in: values).first { $0.hotkey == miner.axon.hotkey }?.record.outvoted ?? 0
    }
}
