import ReplyTensorCore

/// Decides whether a message is addressed to the bot and rewrites its text into a prompt.
///
/// Addressed: every private-chat message; a reply to one of the bot's messages (not the implicit reply to a forum
/// topic's creation message, see `TelegramMessage.explicitReply`); a `bot_command` that names the bot
/// (`/help@bot`; in private chats `/help` too); a `mention` entity equal to `@botusername` (case-insensitive); a
/// `text_mention` of the bot. Captions and `caption_entities` count like texts. Entity offsets are UTF-16 code
/// units, so all cutting happens on UTF-16 code units, never on `Character`s.
struct TelegramAddressing: Sendable {
    var botID: Int64
    /// The bot's username without `@`.
    var botUsername: String

    /// The outcome for one message: how it addresses the bot and its text with the bot's mentions removed.
    struct Outcome: Sendable, Hashable {
        var kind: AddressKind
        var text: String
    }

    /// A part of the text to cut out. `tidy` cuts (mentions) also clean up the whitespace around the cut.
    private struct Cut {
        var range: Range<Int>
        var tidy: Bool
    }

    /// `nil` when the message is not addressed to the bot (or has neither text nor caption).
    func outcome(for message: TelegramMessage) -> Outcome? {
        guard let body = message.body else { return nil }
        let units = Array(body.text.utf16)
        let isPrivate = message.chat.type == "private"
        let handle = "@" + botUsername.lowercased()
        var cuts: [Cut] = []
        var mentioned = false
        var commanded = false

        for entity in body.entities {
            guard let range = Self.range(of: entity, in: units) else { continue }
            switch entity.type {
            case "mention":
                if Self.string(units[range]).lowercased() == handle {
                    mentioned = true
                    cuts.append(Cut(range: range, tidy: true))
                }
            case "text_mention":
                if entity.user?.id == botID {
                    mentioned = true
                    cuts.append(Cut(range: range, tidy: true))
                }
            case "bot_command":
                let command = units[range]
                if let at = command.firstIndex(of: UInt16(UInt8(ascii: "@"))) {
                    let target = Self.string(command[at...]).lowercased()
                    if target == handle {
                        commanded = true
                        cuts.append(Cut(range: at..<range.upperBound, tidy: false))
                    }
                } else if isPrivate {
                    commanded = true
                }
            default:
                continue
            }
        }

        let repliesToBot = message.explicitReply?.from?.id == botID
        let kind: AddressKind
        if commanded {
            kind = .command
        } else if mentioned {
            kind = .mention
        } else if repliesToBot {
            kind = .reply
        } else if isPrivate {
            kind = .direct
        } else {
            return nil
        }
        return Outcome(kind: kind, text: Self.apply(cuts, to: units))
    }

    /// The entity's range in `units`, `nil` when it is out of bounds or splits a surrogate pair.
    private static func range(of entity: TelegramEntity, in units: [UInt16]) -> Range<Int>? {
        guard entity.offset >= 0, entity.length > 0, entity.offset <= units.count,
              entity.length <= units.count - entity.offset else { return nil }
        let range = entity.offset..<(entity.offset + entity.length)
        func splitsPair(_ index: Int) -> Bool { index < units.count && UTF16.isTrailSurrogate(units[index]) }
        guard !splitsPair(range.lowerBound), !splitsPair(range.upperBound) else { return nil }
        return range
    }

    private static func string(_ units: ArraySlice<UInt16>) -> String { String(decoding: units, as: UTF16.self) }

    private static let space = UInt16(UInt8(ascii: " "))
    private static func isHorizontalSpace(_ unit: UInt16) -> Bool { unit == 0x20 || unit == 0x09 || unit == 0xA0 }
    private static func isLineBreak(_ unit: UInt16) -> Bool { unit == 0x0A || unit == 0x0D }
    private static func isClosingPunctuation(_ unit: UInt16) -> Bool {
        ",.;:!?)".utf16.contains(unit)
    }

    /// Removes the cuts; around a tidy cut the spaces collapse into one (none before punctuation, none at a line
    /// edge), and a `,` or `:` right after a leading mention goes too ("@bot, hi" → "hi").
    private static func apply(_ cuts: [Cut], to units: [UInt16]) -> String {
        var result: [UInt16] = []
        var position = 0
        var pendingTidy = false
        for cut in cuts.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            guard cut.range.lowerBound >= position else { continue }  // overlapping entities: keep the first
            append(units[position..<cut.range.lowerBound], to: &result, tidy: pendingTidy)
            if cut.tidy {
                while let last = result.last, isHorizontalSpace(last) { result.removeLast() }
            }
            pendingTidy = cut.tidy
            position = cut.range.upperBound
        }
        append(units[position...], to: &result, tidy: pendingTidy)
        return String(decoding: result, as: UTF16.self).trimmingWhitespace()
    }

    private static func append(_ piece: ArraySlice<UInt16>, to result: inout [UInt16], tidy: Bool) {
        guard tidy else {
            result.append(contentsOf: piece)
            return
        }
        var piece = piece.drop(while: isHorizontalSpace)
        if result.allSatisfy({ isHorizontalSpace($0) || isLineBreak($0) }) {
            // Text starts with the mention: drop the punctuation that addressed it ("@bot, …", "@bot: …").
            if let first = piece.first, first == UInt16(UInt8(ascii: ",")) || first == UInt16(UInt8(ascii: ":")) {
                piece = piece.dropFirst().drop(while: isHorizontalSpace)
            }
        }
        guard let first = piece.first else { return }
        if let last = result.last, !isLineBreak(last), !isHorizontalSpace(last), !isLineBreak(first),
           !isClosingPunctuation(first) {
            result.append(space)
        }
        result.append(contentsOf: piece)
    }
}

extension String {
    /// The string without leading and trailing whitespace and line breaks.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
