import Foundation
import ReplyTensorCore
import Testing

@Suite("Plugins")
struct PluginTests {
    let adapter = InMemoryAdapter()
    var context: PluginContext { PluginContext(identity: adapter.botIdentity, botName: "TestBot") }

    @Test("mention-safety defuses mass mentions, role and user pings, and control characters")
    func mentionSafety() {
        let raw = "Hey @everyone and @HERE, ping <@&123456> and <@!42> and <@77>.\u{0007}\u{202E}done\u{0000}"
        let safe = MentionSafetyPlugin.defuse(raw)
        #expect(!safe.lowercased().contains("@everyone"))
        #expect(!safe.lowercased().contains("@here"))
        #expect(!safe.contains("<@"))
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(!safe.unicodeScalars.contains("\u{202E}"))
        #expect(safe.contains("everyone") && safe.contains("done"))
        #expect(MentionSafetyPlugin.defuse("mail me at a@everyone.example? no: @everyones") .contains("@everyones"))
    }

    @Test("commands: /help, /about, /ping answered locally; other text proceeds")
    func commands() async {
        let plugin = CommandsPlugin(botName: "TestBot")
        #expect(await plugin.inspect(adapter.makeMessage(id: "1", text: "/ping"), context: context) == .answer("pong"))
        if case .answer(let help) = await plugin.inspect(adapter.makeMessage(id: "2", text: "/help@testbot"), context: context) {
            #expect(help.contains("/about"))
        } else {
            Issue.record("/help was not answered")
        }
        #expect(await plugin.inspect(adapter.makeMessage(id: "3", text: "what is /help?"), context: context) == .proceed)
        #expect(await plugin.inspect(adapter.makeMessage(id: "4", text: "/unknown"), context: context) == .proceed)
    }

    @Test("blocklist matches ids, handles with or without @, and platform-qualified entries")
    func blocklist() async {
        let plugin = BlocklistPlugin(users: ["@Spammer", "memory:99"], chats: ["badchat"])
        let spam = adapter.makeMessage(id: "1", text: "hi", author: Author(id: "5", handle: "spammer"))
        let byID = adapter.makeMessage(id: "2", text: "hi", author: Author(id: "99"))
        let chat = adapter.makeMessage(id: "3", text: "hi", chat: "badchat")
        let fine = adapter.makeMessage(id: "4", text: "hi", author: Author(id: "7", handle: "friend"))
        #expect(await plugin.inspect(spam, context: context) == .skip(reason: "blocklist.user"))
        #expect(await plugin.inspect(byID, context: context) == .skip(reason: "blocklist.user"))
        #expect(await plugin.inspect(chat, context: context) == .skip(reason: "blocklist.chat"))
        #expect(await plugin.inspect(fine, context: context) == .proceed)
    }

    @Test("the registry builds enabled plugins by name, persona first, and rejects unknown names")
    func registry() throws {
        let registry = PluginRegistry.builtIn
        let plugins = try registry.make(["commands", "mention-safety"]) {
            PluginSetup(botName: "B", persona: "P", options: $0 == "blocklist" ? ["users": .strings(["x"])] : [:])
        }
        #expect(plugins.map(\.name) == ["persona", "commands", "mention-safety", "output"])
        #expect(throws: BotError.self) { try registry.make(["nope"]) { _ in PluginSetup(botName: "B", persona: "P") } }
    }

    @Test("the persona becomes the prompt's system message")
    func persona() {
        let prompt = PersonaPlugin(persona: "Be brief.").shape(Prompt(persona: "", turns: []), for: adapter.makeMessage(id: "1", text: "q"))
        #expect(prompt.persona == "Be brief.")
    }
}
