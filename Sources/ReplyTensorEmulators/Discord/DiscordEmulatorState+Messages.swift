import Foundation

/// Messages: what users write (`inject`), what bots post (`create`, validated like Discord does) and typing.
///
/// Source: discord-api-docs, resources/message.mdx, "Create Message": `content` at most 2000 characters (error
/// 50035 "Invalid Form Body" otherwise), `message_reference` to reply (10008 "Unknown Message" for a missing
/// one unless `fail_if_not_exists` is false), `allowed_mentions` deciding who is pinged, `nonce` with
/// `enforce_nonce`; "Trigger Typing Indicator" answers 204; mentions are parsed from `<@id>`, `<@!id>` and
/// `<@&role>` (reference.mdx, "Message Formatting").
extension DiscordEmulatorState {
    func inject(content: String, authorID: String, channelID: String, replyTo: String?, pingReplied: Bool,
                webhook: Bool, type: Int?, id: String? = nil, dispatch: Bool = true) throws -> Message {
        guard let data = channels[channelID], let author = users[authorID] else {
            throw EmulatorError("unknown channel or user")
        }
        guard !Self.threadOnlyTypes.contains(data.channel.type) else {
            throw EmulatorError("messages cannot be sent directly in a forum or media channel: add a post")
        }
        var message = Message(id: id ?? nextID(), channelID: channelID, guildID: data.channel.guildID, author: author,
                              content: content, type: type ?? (replyTo == nil ? 0 : 19), mentions: [],
                              mentionRoles: [], mentionEveryone: false, webhookID: webhook ? nextID() : nil,
                              referenceID: replyTo, nonce: nil)
        message.mentions = mentionedUsers(in: content)
        if let replyTo, pingReplied, let parent = find(replyTo, in: channelID), parent.author.id != authorID,
           !message.mentions.contains(parent.author) {
            message.mentions.append(parent.author)
        }
        message.mentionRoles = mentionedRoles(in: content)
        message.mentionEveryone = content.contains("@everyone") || content.contains("@here")
        messages[channelID, default: []].append(message)
        if dispatch { gatewayDispatch(message) }
        return message
    }

    func mentionedUsers(in content: String) -> [User] {
        var result: [User] = []
        for match in content.matches(of: /<@!?(\d+)>/) {
            if let user = users[String(match.output.1)], !result.contains(user) { result.append(user) }
        }
        return result
    }

    func mentionedRoles(in content: String) -> [String] {
        var result: [String] = []
        for match in content.matches(of: /<@&(\d+)>/) where !result.contains(String(match.output.1)) {
            result.append(String(match.output.1))
        }
        return result
    }

    func find(_ id: String, in channelID: String) -> Message? {
        messages[channelID]?.first { $0.id == id }
    }

    func lastMessageID(_ channelID: String) -> String? {
        if let data = channels[channelID], Self.threadOnlyTypes.contains(data.channel.type) {
            return lastPostID(in: channelID)
        }
        return messages[channelID]?.last?.id
    }

    /// Creates a message from a bot, after validation; `nil` with an error answer otherwise.
    func create(by bot: User, in channelID: String, body: [String: Any]) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], canUse(bot.id, data) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        let permissions = permissions(of: bot.id, in: channelID)
        guard permissions & Self.view != 0 else { return .error(403, code: 50001, "Missing Access") }
        guard permissions & Self.send != 0 else { return .error(403, code: 50013, "Missing Permissions") }
        // topics/threads.mdx, Forums: "Messages cannot be sent directly in forum channels" (opcodes-and-status-codes
        // .mdx: 50008 "Cannot send messages in a non-text channel").
        if Self.threadOnlyTypes.contains(data.channel.type) {
            return .error(400, code: 50008, "Cannot send messages in a non-text channel")
        }
        let content = body["content"] as? String ?? ""
        var fieldErrors: [String: (String, String)] = [:]
        if content.unicodeScalars.count > 2000 {
            fieldErrors["content"] = ("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        }
        let nonce: String? = (body["nonce"] as? String) ?? (body["nonce"] as? Int).map(String.init)
        if let nonce, nonce.count > 25 {
            fieldErrors["nonce"] = ("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        }
        let reference = body["message_reference"] as? [String: Any]
        let referenceID = reference?["message_id"] as? String
        let failIfNotExists = reference?["fail_if_not_exists"] as? Bool
        var replyTo: String?
        if let referenceID {
            if find(referenceID, in: channelID) != nil {
                replyTo = referenceID
            } else if failIfNotExists != false {
                fieldErrors["message_reference"] = ("REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            }
        }
        if !fieldErrors.isEmpty { return .invalidForm(fieldErrors) }
        if content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .error(400, code: 50006, "Cannot send an empty message")
        }
        let enforceNonce = body["enforce_nonce"] as? Bool ?? false
        let nonceKey = "\(bot.id)|\(channelID)|\(nonce ?? "")"
        if enforceNonce, let nonce, !nonce.isEmpty, let earlier = nonces[nonceKey],
           Date().timeIntervalSince(earlier.at) < nonceWindow, let existing = find(earlier.id, in: channelID) {
            dedupedResends += 1
            return .ok(messageJSON(existing, for: bot))
        }
        let allowed = body["allowed_mentions"] as? [String: Any]
        let parse = allowed.map { ($0["parse"] as? [String]) ?? [] }
        let parseAll = parse == nil
        var pings: [String] = []
        var mentions: [User] = []
        if (parseAll || parse!.contains("everyone")), content.contains("@everyone") || content.contains("@here") {
            pings.append("everyone")
        }
        let allowedUsers = (allowed?["users"] as? [String]) ?? []
        // `mentions` lists every user written in the content; `allowed_mentions` only decides who is notified.
        for user in mentionedUsers(in: content) {
            mentions.append(user)
            if parseAll || parse!.contains("users") || allowedUsers.contains(user.id) { pings.append("user:\(user.id)") }
        }
        let allowedRoles = (allowed?["roles"] as? [String]) ?? []
        for role in mentionedRoles(in: content) where parseAll || parse!.contains("roles") || allowedRoles.contains(role) {
            pings.append("role:\(role)")
        }
        let repliedUser = allowed?["replied_user"] as? Bool
        if let replyTo, let parent = find(replyTo, in: channelID), (repliedUser ?? parseAll), !mentions.contains(parent.author) {
            mentions.append(parent.author)
        }
        var message = Message(id: nextID(), channelID: channelID, guildID: data.channel.guildID, author: bot,
                              content: content, type: replyTo == nil ? 0 : 19, mentions: mentions,
                              mentionRoles: pings.filter { $0.hasPrefix("role:") }.map { String($0.dropFirst(5)) },
                              mentionEveryone: pings.contains("everyone"), webhookID: nil, referenceID: replyTo,
                              nonce: nonce)
        if nonce != nil, enforceNonce { nonces[nonceKey] = (message.id, Date()) }
        message.nonce = nonce
        messages[channelID, default: []].append(message)
        sent.append(DiscordEmulator.SentMessage(
            message: message, botID: bot.id, replyTo: replyTo, failIfNotExists: failIfNotExists, allowedParse: parse,
            repliedUser: repliedUser, nonce: nonce, enforceNonce: enforceNonce, contentPings: pings))
        gatewayDispatch(message)
        return .ok(messageJSON(message, for: bot))
    }

    func noteTyping(by bot: User, in channelID: String) -> DiscordEmulatorRoutes.Answer {
        guard let data = channels[channelID], canUse(bot.id, data) else {
            return .error(404, code: 10003, "Unknown Channel")
        }
        typing[channelID, default: 0] += 1
        return .noContent
    }

    func injectRaw(channelID: String, authorID: String, _ make: @Sendable (String) -> String) throws -> String {
        let message = try inject(content: "", authorID: authorID, channelID: channelID, replyTo: nil,
                                 pingReplied: false, webhook: false, type: nil, dispatch: false)
        rawMessages[message.id] = make(message.id)
        gatewayDispatch(message)
        return message.id
    }
}
