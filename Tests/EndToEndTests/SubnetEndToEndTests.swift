import Bittensor
import Foundation
import ReplyTensorEmulators
import Testing

/// The real binary against a local subtensor (JSON-RPC, SCALE) listing Swift axons on 127.0.0.1.
@Suite("Subnet end to end (real binary)", .serialized)
struct SubnetEndToEndTests {
    struct World {
        let subnet: LocalSubnet
        var subtensor: SubtensorEmulator { subnet.subtensor }

        /// A slow, a failing (500), an empty and a good miner: one good answer, accepted explicitly
        /// (`accept_single_answer = true`; the agreement tests cover the default).
        static func start() async throws -> World {
            World(subnet: try await LocalSubnet.start([.slow(.seconds(60)), .failing, .empty, .echoing("good miner: ")],
                                                      keySeed: 0x40))
        }

        func stop() async { await subnet.stop() }

        func config(allowPrivate: Bool, synapse: String = "StreamPromptingSynapse") -> String {
            let section = subnet.configSection(walletPath: "wallets", wallet: "bot", hotkey: "hk", synapse: synapse,
                                               minersPerQuery: 4, allowPrivateAxons: allowPrivate,
                                               acceptSingleAnswer: true)
            return """
            [bot]
            persona = "Be brief."
            [responder]
            order = ["subnet"]
            timeout_seconds = 4
            \(section)
            [telegram]
            enabled = false
            """
        }
    }

    @Test("wallet create/show/import keep bittensor's layout and refuse readable keyfiles")
    func walletCommands() async throws {
        let folder = try BotProcess.makeFolder()
        let wallets = folder.appendingPathComponent("wallets").path
        let created = try await BotProcess.run(["wallet", "create", "--wallet-path", wallets, "--wallet", "bot", "--hotkey", "hk"],
                                               folder: folder)
        #expect(created.status == 0, "\(created.output)")
        let file = wallets + "/bot/hotkeys/hk"
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let shown = try await BotProcess.run(["wallet", "show", "--wallet-path", wallets, "--wallet", "bot", "--hotkey", "hk"],
                                             folder: folder)
        #expect(shown.status == 0)
        let address = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("ss58 address: ") })
        #expect(shown.output.contains(address))
        #expect(!shown.output.contains("secretSeed") && !shown.output.contains("mnemonic"))
        let again = try await BotProcess.run(["wallet", "create", "--wallet-path", wallets, "--wallet", "bot", "--hotkey", "hk"],
                                             folder: folder)
        #expect(again.status == 1 && again.output.contains("already exists"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let refused = try await BotProcess.run(["wallet", "show", "--wallet-path", wallets, "--wallet", "bot", "--hotkey", "hk"],
                                               folder: folder)
        #expect(refused.status == 1 && refused.output.contains("chmod 600"))
        let imported = try await BotProcess.run(
            ["wallet", "import", "--wallet-path", wallets, "--wallet", "imp", "--hotkey", "hk", "--from-env", "PHRASE"],
            folder: folder, environment: ["PHRASE": "bottom drive obey lake curtain smoke basket hold race lonely fit walk"])
        #expect(imported.status == 0)
        #expect(imported.output.contains("5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV"))
        let usage = try await BotProcess.run(["wallet", "create", "--words", "13"], folder: folder)
        #expect(usage.status == 64)
    }

    @Test("ask --via subnet: the good miner answers while slow, failing and empty ones are passed over; metagraph; check")
    func askMetagraphCheck() async throws {
        let world = try await World.start()
        let folder = try BotProcess.makeFolder()
        let created = try await BotProcess.run(["wallet", "create", "--wallet-path", folder.appendingPathComponent("wallets").path,
                                                "--wallet", "bot", "--hotkey", "hk"], folder: folder)
        #expect(created.status == 0)
        let configURL = folder.appendingPathComponent("replytensor.toml")
        for synapse in ["StreamPromptingSynapse", "Prompting"] {
            try world.config(allowPrivate: true, synapse: synapse).write(to: configURL, atomically: true, encoding: .utf8)
            let start = ContinuousClock.now
            let asked = try await BotProcess.run(["ask", "what is a subnet?", "--via", "subnet", "--config", configURL.path],
                                                 folder: folder)
            #expect(asked.status == 0, "\(asked.output)")
            #expect(asked.output.contains("good miner: what is a subnet?"))
            #expect(asked.output.contains("answered by subnet (uid 3 "))
            #expect(ContinuousClock.now - start < .seconds(10))
        }

        let listed = try await BotProcess.run(["metagraph", "--config", configURL.path, "--json"], folder: folder)
        #expect(listed.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])
        #expect((json["neurons"] as? [[String: Any]])?.count == 4)
        #expect(json["serving"] as? Int == 4)
        let table = try await BotProcess.run(["metagraph", "--network", world.subtensor.url, "--netuid", "1"], folder: folder)
        #expect(table.status == 0 && table.output.contains("4 neurons"))
        let empty = try await BotProcess.run(["metagraph", "--network", world.subtensor.url, "--netuid", "2", "--json"], folder: folder)
        #expect(empty.status == 0 && empty.output.contains("\"serving\" : 0"))

        let checked = try await BotProcess.run(["check", "--config", configURL.path], folder: folder)
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("4 miner(s) serving"))

        // The same loopback miners are refused when private axons are not allowed.
        try world.config(allowPrivate: false).write(to: configURL, atomically: true, encoding: .utf8)
        let refused = try await BotProcess.run(["ask", "hi", "--via", "subnet", "--config", configURL.path], folder: folder)
        #expect(refused.status == 1 && refused.output.contains("no serving miner"))
        let failedCheck = try await BotProcess.run(["check", "--config", configURL.path], folder: folder)
        #expect(failedCheck.status == 1)

        // A chain that is down: metagraph exits 1.
        await world.subtensor.setUnavailable(true)
        let down = try await BotProcess.run(["metagraph", "--network", world.subtensor.url], folder: folder)
        #expect(down.status == 1)
        await world.stop()
    }

    @Test("a missing hotkey is a configuration error for ask (78) and a failed check (1)")
    func missingHotkey() async throws {
        let world = try await World.start()
        let folder = try BotProcess.makeFolder()
        let configURL = folder.appendingPathComponent("replytensor.toml")
        try world.config(allowPrivate: true).write(to: configURL, atomically: true, encoding: .utf8)
        let asked = try await BotProcess.run(["ask", "hi", "--via", "subnet", "--config", configURL.path], folder: folder)
        #expect(asked.status == 78 && asked.output.contains("no hotkey file"))
        let checked = try await BotProcess.run(["check", "--config", configURL.path], folder: folder)
        #expect(checked.status == 1 && checked.output.contains("no hotkey file"))
        await world.stop()
    }

    @Test("sandbox --scenario subnet: local subtensor and Swift miners, then the fall-through to the gateway")
    func sandboxScenario() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox", "--scenario", "subnet"], folder: folder, timeout: .seconds(90))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("[local miner] What do miners on a prompting subnet do?"))
        #expect(result.output.contains("from gateway"))
    }
}
