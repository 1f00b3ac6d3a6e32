import Foundation

/// What `getWebhookInfo` says, for `replytensor check`: while a webhook is set, `getUpdates` answers 409 Conflict and
/// the bot receives nothing (https://core.telegram.org/bots/api#getupdates: "This method will not work if an outgoing
/// webhook is set up").
public struct TelegramWebhookInfo: Sendable, Hashable {
    /// The webhook URL, empty when none is set. It may carry a secret path: show `host` instead.
    public var url: String
    public var pendingUpdateCount: Int
    /// Telegram's description of the last delivery failure, if any.
    public var lastErrorMessage: String?

    public var isSet: Bool { !url.isEmpty }

    /// The URL's host (never its path or query, which may hold a secret).
    public var host: String {
        URLComponents(string: url)?.host.flatMap { $0.isEmpty ? nil : $0 } ?? "an unparsable URL"
    }

    /// The warning for `check` while a webhook is set, nil otherwise.
    /// - Parameter deleteWebhook: whether `[telegram] delete_webhook = true` is configured.
    public func warning(deleteWebhook: Bool) -> String? {
        guard isSet else { return nil }
        let waiting = pendingUpdateCount == 1 ? "1 update waiting" : "\(pendingUpdateCount) updates waiting"
        let head = "a webhook is set (host \(host), \(waiting)): while it is set, getUpdates answers 409 Conflict "
            + "and the bot receives nothing. "
        if deleteWebhook {
            return head + "delete_webhook = true is set, so the bot deletes it when it starts polling."
        }
        return head + "delete_webhook = true in [telegram] removes it when the bot starts (or call deleteWebhook); "
            + "make sure it is not another deployment's webhook first."
    }
}

/// `getWebhookInfo`'s result as sent.
struct TelegramWebhookInfoAnswer: Decodable, Sendable {
    var url: String?
    var pendingUpdateCount: Int?
    var lastErrorMessage: String?
}
