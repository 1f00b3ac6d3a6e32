import ArgumentParser
import ReplyTensorCore
import ReplyTensorSandbox
import ReplyTensorApp
import Foundation

/// `replytensor sandbox`: the whole bot offline against local emulators, playing a scenario.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the whole bot offline against local emulators and play a scenario.",
        discussion: """
            Everything binds 127.0.0.1 only: Telegram, Discord and X emulators, a local subnet (a subtensor \
            JSON-RPC emulator listing Swift miners: good, slow, failing, empty, blacklisting) and an \
            OpenAI-compatible gateway emulator as fallback (responder.order = ["subnet", "gateway"]). Answers come \
            from a deterministic local responder, labelled [local miner] or [gateway-emulator]. Scenarios: tour \
            (default), subnet, burst, faults, crash. Exit status: 0 when every expectation held, 1 otherwise.
            """)

    @Option(name: .long, help: "Scenario: \(SandboxScenarios.names.joined(separator: ", ")).") var scenario = "tour"
    @Flag(name: .long, help: "Print a machine-readable JSON summary instead of the transcript.") var json = false
    @Flag(name: .long, help: "Type messages as a user (`telegram: …`, `discord: …`, `x: …`) and watch the bot answer.")
    var interactive = false

    func validate() throws {
        guard SandboxScenarios.names.contains(scenario) else {
            throw ValidationError("unknown scenario \"\(scenario)\"; choose one of \(SandboxScenarios.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let transcript = SandboxTranscript(quiet: json)
        let world: SandboxWorld
        do {
            world = try await SandboxWorld.start(
                transcript: transcript, runEngine: interactive || SandboxScenarios.runsEngineInProcess(scenario))
        } catch {
            Console.error("sandbox: cannot start: \(error)")
            throw ExitStatus.failure
        }
        let summary: SandboxSummary
        do {
            summary = interactive
                ? try await InteractiveSession().play(in: world)
                : try await SandboxScenarios.play(scenario, in: world)
        } catch {
            await world.stop()
            Console.error("sandbox: scenario \(scenario) failed to run: \(error)")
            throw ExitStatus.failure
        }
        await world.stop()
        Console.out(json ? summary.json() : summary.table())
        if !summary.passed { throw ExitStatus.failure }
    }
}
