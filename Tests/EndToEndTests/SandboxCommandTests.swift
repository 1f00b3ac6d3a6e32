import Foundation
import ReplyTensorTestSupport
import Testing

/// `replytensor sandbox` as a new user runs it: the tour, the heavy scenarios' JSON summaries, and the
/// interactive mode fed through stdin.
@Suite("Sandbox command (real binary)", .serialized)
struct SandboxCommandTests {
    static func summary(_ output: String) throws -> [String: Any] {
        let start = try #require(output.firstIndex(of: "{"), "no JSON in: \(output.suffix(2000))")
        let object = try JSONSerialization.jsonObject(with: Data(output[start...].utf8))
        return try #require(object as? [String: Any])
    }

    @Test("the tour answers through the local subnet, outvotes the hostile miner, fails over and ends in a passing table")
    func tour() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox"], folder: folder, timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("local subtensor (JSON-RPC) http://127.0.0.1:"))
        for behaviour in ["hostile", "good", "slow", "failing", "empty", "blacklisting"] {
            #expect(result.output.contains("  \(behaviour)"), "miner \(behaviour) listed")
        }
        // The hostile miner (uid 0) answers first with spam; the agreed answer of the good miners is posted.
        #expect(!result.output.contains("[subnet · uid 0 "))
        #expect(result.output.contains("[local miner] You said: "))
        #expect(result.output.contains("✔ the agreed answer was posted, not the fastest miner's spam"))
        #expect(result.output.contains("✔ the hostile miner (uid 0) was outvoted and never chosen"))
        #expect(result.output.contains("✔ the hostile miner's spam was never posted"))
        #expect(result.output.contains("✔ another good miner (uid 2 or 3) answered when uid 1 failed"))
        #expect(result.output.contains("— [23/23] Subnet: what each miner answered the bot"))
        #expect(result.output.contains("✔ the update-id reset cost a handful of getUpdates calls, not a loop"))
        #expect(result.output.contains("✔ the next mention after the update-id reset is answered exactly once"))
        #expect(!result.output.contains("✘"))
    }

    @Test("--scenario burst --json: 3 × 100 mentions answered once each, with throughput, latency and memory")
    func burst() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox", "--scenario", "burst", "--json"], folder: folder,
                                              timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        let json = try Self.summary(result.output)
        #expect(json["passed"] as? Bool == true)
        #expect(json["mentions"] as? Int == 300)
        #expect(json["replies"] as? Int == 300)
        #expect(json["duplicates"] as? Int == 0 && json["lost"] as? Int == 0)
        #expect(json["rate_rule_violations"] as? Int == 0)
        #expect((json["replies_per_second"] as? Double ?? 0) > 0)
        #expect((json["peak_rss_bytes"] as? Int ?? 0) > 0)
        let latency = try #require(json["latency_ms"] as? [String: Any])
        #expect(latency["p50"] is Double && latency["p95"] is Double)
    }

    @Test("--scenario faults --json: injected faults and a failing miner cause no duplicate and no lost mention")
    func faults() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox", "--scenario", "faults", "--json"], folder: folder,
                                              timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        let json = try Self.summary(result.output)
        #expect(json["duplicates"] as? Int == 0 && json["lost"] as? Int == 0)
        #expect(json["mentions"] as? Int == 120)
    }

    @Test("--scenario crash --json: kill -9 and restarts of the child bot leave no duplicate and no lost mention")
    func crash() async throws {
        let folder = try BotProcess.makeFolder()
        let result = try await BotProcess.run(["sandbox", "--scenario", "crash", "--json"], folder: folder,
                                              timeout: .seconds(150))
        let json = try Self.summary(result.output)
        #expect(json["duplicates"] as? Int == 0, "\(json)")
        #expect(json["lost"] as? Int == 0, "\(json)")
        #expect(json["mentions"] as? Int == 240)
        #expect((json["unknown"] as? Int ?? 99) <= 24)
        let expectations = try #require(json["expectations"] as? [[String: Any]])
        for expectation in expectations {
            #expect(expectation["held"] as? Bool == true, "\(expectation)")
        }
        #expect(result.status == 0)
    }

    @Test("--interactive: lines typed as Telegram, Discord and X users are answered; EOF ends the session")
    func interactive() async throws {
        let folder = try BotProcess.makeFolder()
        let bot = try BotProcess(["sandbox", "--interactive"], folder: folder, input: .pipe)
        bot.process.write(Data("""
            telegram: @ReplyTensorBot hello from telegram
            discord: @ReplyTensorBot hello from discord
            x: @ReplyTensorBot hello from x

            """.utf8))
        bot.process.closeInput()
        let status = await bot.waitForExit(timeout: .seconds(90))
        if status == nil { bot.signal(SIGTERM) }
        let output = bot.output
        #expect(status == 0, "\(output.suffix(2000))")
        #expect(output.contains("You said: hello from telegram"))
        #expect(output.contains("You said: hello from discord"))
        #expect(output.contains("You said: hello from x"))
        #expect(output.contains("session ended: 3 message(s), 3 answered"))
    }
}
