/// A cheap, model-free text similarity for comparing miners' answers: the cosine of the character-trigram counts of
/// the lower-cased words (each word padded with a space on both sides, `$`, `@` and `#` kept as part of a word).
/// Paraphrases of one answer score about 0.5, unrelated texts below 0.2, identical texts 1 (measured on sample
/// answers, README "Agreement before speed"). Only the first `maxCharacters` characters count, so a huge answer
/// costs no more than a long one.
public struct AnswerFingerprint: Sendable {
    static let maxCharacters = 4000
    let grams: [String: Int]
    let norm: Double

    public init(_ text: String) {
        var grams: [String: Int] = [:]
        var word: [Character] = []
        func flush() {
            guard !word.isEmpty else { return }
            let padded: [Character] = [" "] + word + [" "]
            for start in 0...(padded.count - 3) { grams[String(padded[start..<start + 3]), default: 0] += 1 }
            word.removeAll(keepingCapacity: true)
        }
        for character in text.prefix(Self.maxCharacters).lowercased() {
            if character.isLetter || character.isNumber || "$@#".contains(character) {
                word.append(character)
            } else {
                flush()
            }
        }
        flush()
        self.grams = grams
        self.norm = grams.values.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
    }

    /// 0 (nothing in common) … 1 (the same trigrams in the same proportions).
    public func similarity(to other: AnswerFingerprint) -> Double {
        guard norm > 0, other.norm > 0 else { return 0 }
        let (small, large) = grams.count <= other.grams.count ? (grams, other.grams) : (other.grams, grams)
        var dot = 0.0
        for (gram, count) in small { dot += Double(count * (large[gram] ?? 0)) }
        return min(1, dot / (norm * other.norm))
    }
}
