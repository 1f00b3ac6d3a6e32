import Foundation
@testable import ReplyTensorCore
import Testing

/// `deny_patterns`, the responder chain falling through on a denied answer, and the plugin being on by default.
@Suite("Output policy: deny patterns, the responder chain, on by default")
struct OutputPolicyDenyTests {
    let adapter = InMemoryAdapter()

    func policy(_ patterns: [String]) throws -> OutputPolicyPlugin {
        OutputPolicyPlugin(denyPatterns: try DenyPatterns(patterns))
    }

    @Test("a deny pattern matches the answer as written and in disguise; other answers pass")
    func disguises() throws {
        let plugin = try policy(["seed phrase", #"evil\.example\.com"#, #"https://"#])
        let message = adapter.makeMessage(id: "1", text: "q")
        let denied = [
            "share your SEED PHRASE", "share your seed\u{200B} phrase", "ｓｅｅｄ ｐｈｒａｓｅ", "seed\u{202E} phrase",
            "go to evil[.]example[.]com", "go to evil(.)example(dot)com", "e\u{200D}vil.example.com",
            "h t t p s ://x", "hxxps://x", "HTTPS://x",
        ]
        for answer in denied {
            guard case .deny(let reason, let detail) = plugin.review(answer, for: message) else {
                Issue.record("not denied: \(answer.debugDescription)")
                continue
            }
            #expect(reason == "policy.denied")
            #expect(detail.hasPrefix("matches deny_patterns["))
            #expect(!detail.contains(answer), "the detail never quotes the answer")
        }
        #expect(plugin.review("seeds and phrases, see example.com", for: message) == .accept)
        #expect(try policy([]).review("anything at all", for: message) == .accept)
        #expect(plugin.review("(?-i) is per pattern", for: message) == .accept)
        #expect(try policy(["(?-i)Secret"]).review("secret", for: message) == .accept)
    }

    @Test("a pattern that does not compile is a configuration error naming it")
    func invalidPattern() {
        #expect {
            try DenyPatterns(["fine", "(unclosed"])
        } throws: { error in
            (error as? BotError)?.code == .config
                && (error as? BotError)?.message.hasPrefix("plugins.output.deny_patterns[1]:") == true
        }
    }

    @Test("a denied answer is its responder's failure: the chain asks the next; none left → policy.denied")
    func chain() async throws {
        let plugin = try policy(["forbidden"])
        let message = adapter.makeMessage(id: "1", text: "q")
        let review: AnswerReview = { plugin.review($0, for: message) }
        let bad = InMemoryResponder(name: "subnet") { _ in "a forbidden answer" }
        let good = InMemoryResponder(name: "gateway") { _ in "a fine answer" }
        let broken = InMemoryResponder(name: "broken") { _ in throw BotError(.responder, "miner exploded") }
        let prompt = Prompt(persona: "", turns: [ConversationTurn(role: .user, text: "q")])
        let answer = try await ResponderChain([bad, good]).respond(to: prompt, review: review)
        #expect(answer.text == "a fine answer" && answer.backend == "gateway")
        // Without a review (the plain entry point) nothing is denied.
        #expect(try await ResponderChain([bad, good]).respond(to: prompt).backend == "subnet")
        for responders in [[bad, bad], [broken, bad], [bad, broken]] as [[any Responder]] {
            do {
                _ = try await ResponderChain(responders).respond(to: prompt, review: review)
                Issue.record("an answer got through")
            } catch let denied as AnswerDenied {
                #expect(denied.reason == "policy.denied")
                #expect(denied.details.count == 2, "\(denied.details)")
                #expect(!denied.description.contains("a forbidden answer"))
            }
        }
        // A lone responder (no chain) is denied too.
        await #expect(throws: AnswerDenied.self) { try await bad.respond(to: prompt, review: review) }
    }

    @Test("the engine posts the next responder's answer, shaped; with every answer denied the mention fails policy.denied")
    func engine() async throws {
        let store: any BotStore = InMemoryStore()
        let adapter = InMemoryAdapter()
        let subnet = InMemoryResponder(name: "subnet") { prompt in
            prompt.question.contains("first") ? "visit forbidden.example now" : "forbidden anyway"
        }
        let gateway = InMemoryResponder(name: "gateway") { prompt in
            prompt.question.contains("first") ? "ask @someone, @user, or see https://example.com" : "still forbidden"
        }
        adapter.inject([adapter.makeMessage(id: "first", text: "first question"),
                        adapter.makeMessage(id: "second", text: "second question")])
        let harness = EngineHarness(store: store, adapters: [adapter], responder: ResponderChain([subnet, gateway]),
                                    plugins: [try policy(["forbidden"])])
        let settled = await EngineHarness.wait {
            let counts = try await store.stateCounts()[adapter.platform]
            return counts?[.answered] == 1 && counts?[.failed] == 1
        }
        try await harness.stop()
        #expect(settled)
        #expect(adapter.posts.map(\.mentionID) == ["first"])
        #expect(adapter.posts.first?.text == "ask @\u{2060}someone, @user, or see hxxps://example[.]com")
        let failed = try await store.entry(MentionKey(platform: adapter.platform, id: "second"))
        #expect(failed?.state == .failed && failed?.reason == "policy.denied")
    }

    @Test("on by default: runs when [plugins] enabled leaves it out, stops with enabled = false, options checked")
    func registry() throws {
        let registry = PluginRegistry.builtIn
        func setup(_ options: [String: PluginOption] = [:]) -> (String) -> PluginSetup {
            { name in PluginSetup(botName: "B", persona: "P", options: name == "output" ? options : [:]) }
        }
        #expect(registry.resolve(["commands"], setup: setup()) == ["persona", "commands", "output"])
        #expect(registry.resolve(["output", "commands"], setup: setup()) == ["persona", "output", "commands"])
        #expect(registry.resolve(["commands"], setup: setup(["enabled": .bool(false)])) == ["persona", "commands"])
        #expect(registry.optionKeys["output"]?.isSuperset(of: ["enabled", "deny_patterns", "max_repeat"]) == true)
        let built = try registry.make([], setup: setup(["allow_links_on": .strings(["x", "Telegram"]),
                                                        "max_repeat": .int(3)]))
        let output = try #require(built.last as? OutputPolicyPlugin)
        #expect(output.allowLinksOn == [.twitter, .telegram] && output.limiter.maxRepeat == 3)
        let problems: [([String: PluginOption], String)] = [
            (["max_repeat": .string("ten")], "plugins.output.max_repeat: expected an integer in 0…10000, found string \"ten\""),
            (["max_emoji_run": .int(-1)], "plugins.output.max_emoji_run: expected an integer in 0…10000, found integer -1"),
            (["allow_mentions_on": .strings(["myspace"])], "plugins.output.allow_mentions_on: expected platform names"),
            (["deny_patterns": .string("one")], "plugins.output.deny_patterns: expected an array of strings"),
            (["deny_patterns": .strings(["["])], "plugins.output.deny_patterns[0]: not a valid regular expression"),
        ]
        for (options, expected) in problems {
            #expect {
                try registry.make([], setup: setup(options))
            } throws: { error in
                (error as? BotError)?.message.hasPrefix(expected) == true
            }
        }
    }
}
