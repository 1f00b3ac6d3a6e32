import ReplyTensorCore

/// The text the adapter posts for an answer, and the length rule the fitter measures it with: the answer with at
/// most one cashtag (`Cashtags.keepingFirst`), weighed as X weighs it (`WeightedLength`). The rule measures the
/// prepared text, so a defused cashtag's joiner is inside the 280.
public enum PostText {
    /// What goes out for `text`.
    public static func prepared(_ text: String) -> String { Cashtags.keepingFirst(text) }

    /// The fitter's rule: 280 weighted characters of the prepared text.
    public static var rule: LengthRule {
        LengthRule(limit: WeightedLength.limit, unit: "weighted characters (twitter-text v3)") {
            WeightedLength.measure(prepared($0))
        }
    }

    /// Whether X prices a post of `text` as "Content: Create (with URL)": it has a URL as twitter-text finds them.
    public static func hasURL(_ text: String) -> Bool { !URLFinder.ranges(in: text).isEmpty }
}
