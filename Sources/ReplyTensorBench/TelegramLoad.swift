import Foundation
import ReplyTensorEmulators
import ReplyTensorTestSupport

/// The load of the side-by-side run: `mentions` messages spread over `groups` Telegram supergroups, each from its own
/// user and addressed to the bot with an @mention; then which of them got exactly one reply, matched by id
/// (`reply_to_message.message_id` in the same chat).
struct TelegramLoad {
    let telegram: TelegramEmulator
    let groups: [TelegramEmulator.Chat]
    let users: [TelegramEmulator.User]

    /// Adds the groups and the users (one per mention) to the emulator.
    static func prepare(_ telegram: TelegramEmulator, mentions: Int, groups count: Int) async -> TelegramLoad {
        var groups: [TelegramEmulator.Chat] = []
        for index in 0..<count { groups.append(await telegram.addGroup(title: "bench group \(index)", supergroup: true)) }
        var users: [TelegramEmulator.User] = []
        for index in 0..<mentions { users.append(await telegram.addUser(username: "asker\(index)", firstName: "Asker")) }
        return TelegramLoad(telegram: telegram, groups: groups, users: users)
    }

    /// Writes every mention (user i in group i mod groups) and returns them in order.
    func inject() async throws -> [TelegramEmulator.Message] {
        var messages: [TelegramEmulator.Message] = []
        messages.reserveCapacity(users.count)
        for (index, user) in users.enumerated() {
            messages.append(try await telegram.inject(text: "@\(telegram.bot.username ?? "") question number \(index)?",
                                                      from: user, in: groups[index % groups.count]))
        }
        return messages
    }

    /// Replies per mention and replies to nothing the load wrote.
    struct Check {
        var missing = 0
        var duplicated = 0
        var stray = 0
        var ok: Bool { missing == 0 && duplicated == 0 && stray == 0 }
        var fields: [String: Any] { ["missing": missing, "duplicated": duplicated, "stray": stray, "ok": ok] }
    }

    func check(_ messages: [TelegramEmulator.Message]) async -> Check {
        var counts: [String: Int] = [:]
        for sent in await telegram.sent {
            counts["\(sent.chatID):\(sent.replyToMessageID.map(String.init) ?? "-")", default: 0] += 1
        }
        var check = Check()
        for message in messages {
            switch counts.removeValue(forKey: "\(message.chat.id):\(message.messageId)") ?? 0 {
            case 0: check.missing += 1
            case 1: break
            default: check.duplicated += 1
            }
        }
        check.stray = counts.values.reduce(0, +)
        return check
    }

    /// Waits until the bot sent `count` messages; false after `timeout`.
    func waitForReplies(_ count: Int, timeout: Duration) async -> Bool {
        await Polling.wait(timeout: timeout, every: .milliseconds(5)) { await telegram.sent.count >= count }
    }
}
