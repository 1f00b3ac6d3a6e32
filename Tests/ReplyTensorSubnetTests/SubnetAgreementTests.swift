import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorSubnet
import Synchronization
import Testing

/// Agreement before speed, through the real Swift dendrite to local axons over loopback HTTP.
@Suite(.serialized) struct SubnetAgreementTests {
    static let paraphrases = AnswerAgreementTests.paraphrases

    /// A hostile miner ranked first (highest incentive) answering spam at once, and three slower miners agreeing.
    static func hostileAndThreeAgreeing() async throws -> SubnetWorld {
        try await SubnetWorld.start([.hostile, .late(paraphrases[0], .milliseconds(150)),
                                     .late(paraphrases[1], .milliseconds(250)), .late(paraphrases[2], .milliseconds(350))])
    }

    @Test func aFastHostileMinerIsOutvotedByThreeAgreeingSlowerOnes() async throws {
        let world = try await Self.hostileAndThreeAgreeing()
        let seen = Mutex<[MinerVerdict]>([])
        let store = InMemoryStore()
        let responder = try world.responder(store: store, verdicts: { verdict in seen.withLock { $0.append(verdict) } })
        let completion = try await responder.respond(to: .question("what is bittensor?"))
        #expect(Self.paraphrases.contains(completion.text), "posted: \(completion.text)")
        #expect(!completion.text.contains("airdrop"))
        #expect(!completion.source.hasPrefix("uid 0 "))
        #expect(await world.axons[0].served == 1, "the hostile miner was asked and answered")
        let verdicts = seen.withLock { $0 }
        #expect(verdicts.contains { $0.uid == 0 && $0.kind == .outvoted })
        #expect(verdicts.filter { $0.kind == .chosen }.map(\.uid) == [1], "ties go to the higher-ranked good miner")
        // The reputation is in the store's miner-health record.
        let hostile = await responder.health.record(world.axons[0].hotkey)
        #expect(hostile.outvoted == 1 && hostile.chosen == 0 && hostile.uid == 0)
        #expect(hostile.lastError?.hasPrefix("outvoted") == true)
        let stored = try #require(await store.value("health.\(world.axons[0].hotkey)", for: "subnet"))
        #expect(stored.contains("\"outvoted\":1"))
        #expect(await responder.health.record(world.axons[1].hotkey).chosen == 1)
        await world.stop()
    }

    @Test func aRepeatedlyOutvotedMinerIsCooledDownLongerAndAskedLast() async throws {
        let world = try await Self.hostileAndThreeAgreeing()
        let responder = try world.responder()
        let hotkey = world.axons[0].hotkey
        _ = try await responder.respond(to: .question("first"))
        #expect(await !responder.health.isCoolingDown(hotkey), "one outvote is not yet a pattern")
        _ = try await responder.respond(to: .question("second"))
        let record = await responder.health.record(hotkey)
        #expect(record.outvoted == 2 && record.strikes == 2)
        // Longer than a failing miner's first cooldown (1 min).
        #expect((record.cooldownUntil?.timeIntervalSinceNow ?? 0) > 9 * 60)
        let (chosen, _) = try await world.responder(store: InMemoryStore()).chooseMiners()
        #expect(chosen.first?.uid == 0, "a fresh store still ranks it first")
        let (ranked, _) = try await responder.chooseMiners()
        #expect(ranked.map(\.uid) == [1, 2, 3, 0], "the cooled-down miner is asked last")
        await world.stop()
    }

    @Test func aLoneAnswerIsNotUsedUnlessAcceptSingleAnswerIsSet() async throws {
        let world = try await SubnetWorld.start([.failing, .good("the only answer"), .empty])
        let strict = try world.responder()
        let error = await #expect(throws: BotError.self) { try await strict.respond(to: .question("hi")) }
        #expect(error?.code == .responder)
        #expect(error?.message.contains("lone answer") == true, "\(error?.message ?? "")")
        let chain = ResponderChain([strict, InMemoryResponder(name: "local") { _ in "fallback" }])
        #expect(try await chain.respond(to: .question("hi")).text == "fallback")
        let trusting = try world.responder(acceptSingleAnswer: true)
        #expect(try await trusting.respond(to: .question("hi")).text == "the only answer")
        await world.stop()
    }

    @Test func twoAgreeingAnswersBelowTheQuorumAreUsedAfterTheAnswerWait() async throws {
        let world = try await SubnetWorld.start([.late(Self.paraphrases[0], .milliseconds(50)),
                                                 .late(Self.paraphrases[1], .milliseconds(100)), .slow(.seconds(30))])
        let responder = try world.responder(timeout: .seconds(10), answerWait: .milliseconds(400))
        let start = ContinuousClock.now
        let completion = try await responder.respond(to: .question("what is bittensor?"))
        #expect(completion.text == Self.paraphrases[0])
        #expect(ContinuousClock.now - start < .seconds(3), "the slow miner was not waited for beyond answer_wait_ms")
        await world.stop()
    }
}

@Suite struct MinerHealthRecordTests {
    @Test func recordsWrittenBeforeReputationStillLoadWithZeroCounts() async throws {
        let store = InMemoryStore()
        await store.setValue(#"{"failures":1,"successes":4,"lastError":"timeout"}"#, for: "health.5Fold",
                                 platform: "subnet", at: Date())
        let record = await MinerHealth(store: store).record("5Fold")
        #expect(record.failures == 1 && record.successes == 4 && record.lastError == "timeout")
        #expect(record.outvoted == 0 && record.chosen == 0 && record.uid == nil)
        let listed = MinerHealth.records(in: await store.values(for: "subnet"))
        #expect(listed.map(\.hotkey) == ["5Fold"])
    }

    @Test func goodAnswersTakeBackStrikesOneAtATime() async {
        let health = MinerHealth(store: InMemoryStore())
        for kind in [MinerVerdict.Kind.filtered, .outvoted, .chosen] {
            await health.note(MinerVerdict(uid: 7, hotkey: "5Fx", kind: kind, reason: kind.rawValue))
        }
        let record = await health.record("5Fx")
        #expect(record.strikes == 1 && record.filtered == 1 && record.outvoted == 1 && record.chosen == 1)
        #expect(record.cooldownUntil == nil && record.uid == 7)
    }
}
