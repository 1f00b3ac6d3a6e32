/// Limits what floods an answer: a character repeated more than `maxRepeat` times in a row (`aaaa…` × 1000 keeps
/// `maxRepeat` of them), more than `maxEmojiRun` emoji in a row (whitespace between them does not end the run;
/// the rest of the run is dropped with its whitespace), and more than `maxMarks` combining marks on one character
/// ("Zalgo" text). Digits, spaces and tabs may repeat (numbers, indentation), and so may the digits of a `0x…`
/// literal (the zero address). A limit of 0 switches that rule off.
struct RunLimiter: Sendable {
    var maxRepeat: Int
    var maxEmojiRun: Int
    var maxMarks = 8

    func limit(_ text: String) -> String {
        var state = State(limiter: self)
        for character in text { state.take(trimmingMarks(character)) }
        state.flushPending(keep: true)
        return state.output
    }

    /// Whether a character is an emoji as platforms draw it: an emoji-presentation character (😷, 🇺🇸) or a
    /// sequence with VS16, a keycap, a skin tone or a ZWJ (1️⃣, ❤️, 👍🏽, 👨‍👩‍👧).
    static func isEmoji(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        if first.properties.isEmojiPresentation { return true }
        guard first.properties.isEmoji, character.unicodeScalars.count > 1 else { return false }
        return character.unicodeScalars.contains {
            $0.value == 0xFE0F || $0.value == 0x20E3 || $0.value == 0x200D || $0.properties.isEmojiModifier
        }
    }

    private func trimmingMarks(_ character: Character) -> Character {
        guard maxMarks > 0, character.unicodeScalars.count > maxMarks + 1 else { return character }
        var marks = 0
        var kept = String.UnicodeScalarView()
        for scalar in character.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .nonspacingMark || category == .enclosingMark {
                marks += 1
                if marks > maxMarks { continue }
            }
            kept.append(scalar)
        }
        return Character(String(kept))
    }

    private struct State {
        let limiter: RunLimiter
        var output = ""
        var last: Character?
        var repeats = 0
        var emojiRun = 0
        /// Whitespace inside an emoji run: kept only if the run goes on with a kept emoji or ends.
        var pending: [Character] = []
        /// The first two characters of the current word (to recognise `0x`).
        var wordStart = ""

        init(limiter: RunLimiter) { self.limiter = limiter }

        mutating func take(_ character: Character) {
            if character.isWhitespace, emojiRun > 0 {
                pending.append(character)
                return
            }
            if RunLimiter.isEmoji(character) {
                if limiter.maxEmojiRun > 0, emojiRun >= limiter.maxEmojiRun {
                    flushPending(keep: false)
                    return
                }
                emojiRun += 1
            } else {
                emojiRun = 0
            }
            flushPending(keep: true)
            emit(character)
        }

        mutating func flushPending(keep: Bool) {
            let waiting = pending
            pending = []
            if keep { for character in waiting { emit(character) } }
        }

        private mutating func emit(_ character: Character) {
            if character.isWhitespace {
                wordStart = ""
            } else if wordStart.count < 2 {
                wordStart.append(character)
            }
            if character == last {
                repeats += 1
            } else {
                last = character
                repeats = 1
            }
            if limiter.maxRepeat > 0, repeats > limiter.maxRepeat, !mayRepeat(character) { return }
            output.append(character)
        }

        private func mayRepeat(_ character: Character) -> Bool {
            if character == " " || character == "\t" || ("0"..."9").contains(character) { return true }
            return wordStart.lowercased() == "0x" && character.isHexDigit
        }
    }
}
