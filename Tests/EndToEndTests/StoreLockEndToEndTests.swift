import Foundation
import ReplyTensorTestSupport
import ReplyTensorEmulators
import Testing

@Suite("One bot per store end to end (real binary)", .serialized)
struct StoreLockEndToEndTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test("a second run on the same store exits 1 at once naming the store and the first bot's pid; status and check --offline still work; an X OAuth 2.0 check is refused")
    func oneBotPerStore() async throws {
        let world = try await TelegramWorld.start()
        defer { Task { await world.stop() } }
        try world.writeConfig()
        let first = try world.startBot()
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) {
            await !world.telegram.recorder.requests(path: "/getUpdates").isEmpty
        }, "the first bot never polled: \(first.output)")
        let store = world.folder.appendingPathComponent("bot.sqlite").path

        let started = ContinuousClock.now
        let second = try await BotProcess.run(["run"], folder: world.folder, environment: world.environment,
                                              timeout: .seconds(30))
        #expect(second.status == 1, "\(second.output)")
        #expect(second.output.contains(store), "\(second.output)")
        #expect(second.output.contains("pid \(first.process.pid)"), "\(second.output)")
        #expect(!second.output.contains("starting"), "the second bot must not start anything: \(second.output)")
        let elapsed = ContinuousClock.now - started

        let status = try await BotProcess.run(["status", "--json"], folder: world.folder, environment: world.environment)
        #expect(status.status == 0, "\(status.output)")
        let check = try await BotProcess.run(["check", "--offline"], folder: world.folder, environment: world.environment)
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("⚠"), "a store created by the bot draws no warning: \(check.output)")

        // The store and everything next to it holds DMs and tokens: owner only, from creation.
        for file in [store, store + "-wal", store + "-shm", store + ".lock"] {
            #expect(Self.mode(file) == 0o600, "\(file)")
        }
        #expect(try String(contentsOfFile: store + ".lock", encoding: .utf8) == "\(first.process.pid)\n")

        // An online check with X OAuth 2.0 would rotate the single-use refresh token in the same store: refused.
        let unusedPort = try LoopbackPort.free()
        try E2EConfig.common(gateway: world.gateway).appending("\n" + E2EConfig.twitter(
            apiBase: "http://127.0.0.1:\(unusedPort)", auth: "oauth2"))
            .write(to: world.folder.appendingPathComponent("check-x.toml"), atomically: true, encoding: .utf8)
        let xEnvironment = world.environment.merging(["E2E_X_CLIENT_ID": "client", "E2E_X_CLIENT_SECRET": "secret",
                                                      "E2E_X_REFRESH": "refresh-token"]) { $1 }
        let xCheck = try await BotProcess.run(["check", "--config", "check-x.toml"], folder: world.folder,
                                              environment: xEnvironment)
        #expect(xCheck.status == 1, "\(xCheck.output)")
        #expect(xCheck.output.contains("✘ twitter: not checked: the store \(store) is in use by another replytensor "
            + "process (pid \(first.process.pid))"), "\(xCheck.output)")

        #expect(first.process.isRunning, "the first bot keeps running")
        // Still serving: a mention sent now gets exactly one reply.
        let alice = await world.telegram.addUser(username: "alice", firstName: "Alice")
        let dm = try await world.telegram.inject(text: "still there?", from: alice)
        #expect(await TelegramWorld.wait(timeout: .seconds(30)) { await world.replyCounts([dm]) == [1] })
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(20)) == 0)
        #expect(elapsed < .seconds(20), "the second run waited \(elapsed)")
    }
}
