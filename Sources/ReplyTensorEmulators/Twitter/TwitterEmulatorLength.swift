import Foundation

/// The emulator's own weighted-length check (twitter-text v3 in short: URLs 23, emoji graphemes 2, code points
/// weighted 1 or 2 by range), independent of the adapter's counter.
enum TwitterEmulatorLength {
    static func measure(_ text: String) -> Int {
        var total = 0
        for word in text.precomposedStringWithCanonicalMapping.split(separator: " ", omittingEmptySubsequences: false) {
            let lower = word.lowercased()
            if let range = lower.range(of: "http://") ?? lower.range(of: "https://"), range.lowerBound == lower.startIndex {
                total += 23
                continue
            }
            for character in word {
                let scalars = character.unicodeScalars
                if let first = scalars.first, first.properties.isEmojiPresentation || (scalars.count > 1 && first.properties.isEmoji) {
                    total += 2
                    continue
                }
                for scalar in scalars {
                    let v = scalar.value
                    total += (v <= 4351 || (8192...8205).contains(v) || (8208...8223).contains(v) || (8242...8247).contains(v)) ? 1 : 2
                }
            }
        }
        let spaces = text.split(separator: " ", omittingEmptySubsequences: false).count - 1
        return total + max(0, spaces)
    }
}
