/// Keeps answers from notifying people who never asked. A word joiner (U+2060) after the `@` keeps the text
/// readable (`@⁠someone`) and makes it no mention: twitter-text's `validMentionOrList` and tdlib's `match_mentions`
/// both need `[A-Za-z0-9_]` right after the `@` (or X's full-width `＠`).
/// - `@handle`: defused unless it is the author being answered (case-insensitive), or other mentions are allowed.
/// - mass mentions (`@everyone`, `@here`, `@channel`, `@all`): defused always.
/// - Discord markup: a role mention `<@&id>` becomes `@⁠role`; a user mention `<@id>`/`<@!id>` stays for the author
///   (by id) or when mentions are allowed, and becomes `@⁠user` otherwise. (Discord notifies only for this markup and
///   `@everyone`/`@here`; the adapter also sends `allowed_mentions` with no parse types.)
/// - an `@` glued to a letter, digit or `_` is part of an email address (`bob@example.com`) or a word: no mention
///   on any of the platforms, left alone.
enum HandleDefuser {
    static let wordJoiner = "\u{2060}"
    static let massMentions: Set<String> = ["everyone", "here", "channel", "all"]

    private static let pattern = TextPattern(
        constant: #"<[@＠]([!&]?)(\d+)>|(?<![\p{L}\p{N}\p{M}_])([@＠])([A-Za-z0-9_]+)"#)

    /// `text` with every mention defused except the author's (`keepHandle`, `keepID`), or, with `allowOthers`,
    /// every mention but the mass ones kept.
    static func defuse(_ text: String, keepHandle: String?, keepID: String?, allowOthers: Bool) -> String {
        // Every match starts with `@` or `＠`, which most answers lack: then no regular expression runs.
        guard text.unicodeScalars.contains(where: { $0 == "@" || $0 == "＠" }) else { return text }
        let keep = keepHandle.map { $0.lowercased() }
        return pattern.replacing(in: text) { groups in
            if let kind = groups[1], let id = groups[2] {
                if kind == "&" { return "@" + wordJoiner + "role" }
                return allowOthers || id == keepID ? nil : "@" + wordJoiner + "user"
            }
            guard let at = groups[3], let handle = groups[4] else { return nil }
            let lowered = handle.lowercased()
            if massMentions.contains(lowered) { return at + wordJoiner + handle }
            if allowOthers || lowered == keep { return nil }
            return at + wordJoiner + handle
        }
    }
}
