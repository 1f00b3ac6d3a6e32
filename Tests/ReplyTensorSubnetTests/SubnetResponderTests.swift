import Bittensor
import Foundation
import ReplyTensorCore
import ReplyTensorEmulators
import ReplyTensorSubnet
import Testing

@Suite(.serialized) struct SubnetResponderTests {
    @Test(arguments: PromptingSynapse.Kind.allCases)
    func goodMinerWinsWhileSlowFailingEmptyAndEchoingOnesArePassedOver(kind: PromptingSynapse.Kind) async throws {
        let world = try await SubnetWorld.start([.slow(.seconds(30)), .failing, .empty, .echo, .good("the real answer")])
        // One good miner among broken ones: its lone answer is accepted explicitly.
        let responder = try world.responder(minersPerQuery: 5, timeout: .seconds(5), synapse: kind, acceptSingleAnswer: true)
        let start = ContinuousClock.now
        let completion = try await responder.respond(to: .question("what is bittensor?"))
        let elapsed = ContinuousClock.now - start
        #expect(completion.text == "the real answer")
        #expect(completion.backend == "subnet")
        #expect(completion.source.hasPrefix("uid 4 "))
        // The slow miner answers after 30 s; a loaded machine may take several seconds for the rest.
        #expect(elapsed < .seconds(25), "answered without waiting for the slow miner")
        // Every miner was asked, in parallel, with the persona as the system message.
        let request = try #require(await world.axons[4].recorder.requests.first)
        #expect(request.json?["messages"] as? [String] == ["You are terse.", "what is bittensor?"])
        #expect(request.json?["roles"] as? [String] == ["system", "user"])
        await world.stop()
    }

    @Test func allBadMinersFailWithinTheDeadlineAndTheChainFallsThrough() async throws {
        let world = try await SubnetWorld.start([.slow(.seconds(30)), .failing, .empty])
        let store = InMemoryStore()
        let subnet = try world.responder(store: store, timeout: .seconds(2))
        let start = ContinuousClock.now
        let error = await #expect(throws: BotError.self) { try await subnet.respond(to: .question("hi")) }
        #expect(ContinuousClock.now - start < .seconds(25), "gave up long before the slow miner's 30 s")
        #expect(error?.code == .responder)
        #expect(error?.message.contains("empty answer") == true)
        // The slow miner is cut off by the deadline (or by its own request timeout, which is the same length).
        let slowLine = error?.message.split(separator: ";").first { $0.contains("uid 0 ") }.map(String.init) ?? ""
        #expect(slowLine.contains("deadline") || slowLine.contains("timeout"), "\(slowLine)")
        let chain = ResponderChain([subnet, InMemoryResponder(name: "local") { _ in "fallback" }])
        let completion = try await chain.respond(to: .question("hi"))
        #expect(completion.text == "fallback")
        // Two failures each: cooled down, and the health is in the store.
        #expect(await subnet.health.isCoolingDown(world.axons[1].hotkey))
        #expect(await store.value("health.\(world.axons[1].hotkey)", for: "subnet") != nil)
        await world.stop()
    }

    @Test func coolingDownMinersAreAskedLast() async throws {
        let world = try await SubnetWorld.start([.failing, .good("from healthy")])
        let responder = try world.responder(minersPerQuery: 1, acceptSingleAnswer: true)
        // Miner 0 ranks first by incentive and fails twice: cooled down.
        await responder.health.failed(world.axons[0].hotkey, reason: "test")
        await responder.health.failed(world.axons[0].hotkey, reason: "test")
        let (chosen, _) = try await responder.chooseMiners()
        #expect(chosen.map(\.uid) == [1])
        #expect(try await responder.respond(to: .question("x")).text == "from healthy")
        await world.stop()
    }

    @Test func privateAndHostileAddressesAreRefusedUnlessAllowed() async throws {
        let zero = [UInt8](repeating: 0x0e, count: 32)
        var mapped = SubtensorEmulator.neuron(uid: 10, hotkey: [UInt8](repeating: 0x0a, count: 32), port: 1)
        mapped.axon = AxonEndpoint(ipHigh: 0, ipLow: 0x0000_ffff_7f00_0001, port: 1, ipType: 6)
        let v6Loopback = SubtensorEmulator.neuron(uid: 11, hotkey: [UInt8](repeating: 0x0b, count: 32), host: "::1", port: 1)
        var notServing = SubtensorEmulator.neuron(uid: 12, hotkey: zero, port: 1)
        notServing.axon = AxonEndpoint(ipLow: 0, port: 0, ipType: 4)
        var validator = SubtensorEmulator.neuron(uid: 13, hotkey: [UInt8](repeating: 0x0c, count: 32), port: 1,
                                                 incentive: 0, validatorPermit: true)
        validator.active = true
        let world = try await SubnetWorld.start([.good("loopback miner")], extraNeurons: [mapped, v6Loopback, notServing, validator])
        let strict = try world.responder(allowPrivate: false)
        let error = await #expect(throws: BotError.self) { try await strict.respond(to: .question("x")) }
        #expect(error?.message.contains("no serving miner") == true)
        #expect(error?.message.contains("3 private address") == true)
        #expect(await world.axons[0].served == 0, "nothing was dialled")
        let (_, outcome) = try await world.responder(allowPrivate: true).chooseMiners()
        #expect(outcome.candidates.map(\.uid).sorted() == [0, 10, 11])
        #expect(outcome.skipped["validator"] == 1 && outcome.skipped["not serving"] == 1)
        await world.stop()
    }

    @Test func theStoredMetagraphAnswersBeforeTheChainDoes() async throws {
        let world = try await SubnetWorld.start([.good("cached route")])
        let store = InMemoryStore()
        #expect(try await world.responder(store: store, acceptSingleAnswer: true).respond(to: .question("x")).text
            == "cached route")
        // A restart while the chain is down: the metagraph comes from the store.
        await world.subtensor.setUnavailable(true)
        #expect(try await world.responder(store: store, acceptSingleAnswer: true).respond(to: .question("y")).text
            == "cached route")
        // Without a stored metagraph the chain failure is the error.
        let error = await #expect(throws: BotError.self) { try await world.responder().respond(to: .question("z")) }
        #expect(error?.httpStatus == 503)
        await world.stop()
    }
}
