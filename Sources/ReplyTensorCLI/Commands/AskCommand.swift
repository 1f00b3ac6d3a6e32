import ArgumentParser
import ReplyTensorApp
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorStore

/// `replytensor ask TEXT [--via subnet|gateway]`: one prompt through the configured responder.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Send one prompt through the configured responder and print the answer and who answered.",
        discussion: "Exit status: 0 answered, 1 no answer, 78 configuration error.")

    @Argument(help: "The prompt.") var text: String
    @Option(name: .long, help: "Use only this responder: subnet or gateway (default: responder.order).") var via: String?
    @OptionGroup var options: ConfigOptions

    func validate() throws {
        if let via, !["subnet", "gateway"].contains(via) {
            throw ValidationError("--via must be subnet or gateway")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        var logger = Logger(label: "replytensor.ask")
        logger.logLevel = .critical
        let responder: any Responder
        do {
            responder = try ResponderFactory.make(configuration, http: HTTPClientFactory.make(configuration),
                                                  store: InMemoryStore(), logger: logger, only: via)
        } catch let error as ConfigurationError {
            Console.error(error.description)
            throw ExitStatus.configuration
        }
        let prompt = Prompt(persona: configuration.bot.persona, turns: [ConversationTurn(role: .user, text: text)])
        let start = ContinuousClock.now
        do {
            let completion = try await responder.respond(to: prompt)
            Console.out(completion.text)
            let elapsed = String(format: "%.2f s", (ContinuousClock.now - start).seconds)
            Console.error("— answered by \(completion.backend)\(completion.source.isEmpty ? "" : " (\(completion.source))") in \(elapsed)")
        } catch {
            Console.error("no answer: \(error)")
            throw ExitStatus.failure
        }
    }
}
