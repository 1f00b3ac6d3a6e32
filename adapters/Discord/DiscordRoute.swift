/// A request's rate-limit identity: the route template (ids replaced) and its major parameter (channel, guild or
/// webhook id), which Discord uses together with the `X-RateLimit-Bucket` hash to key a bucket.
struct DiscordRoute: Sendable, Hashable {
    var method: String
    /// e.g. `GET /channels/{major}/messages/{id}`.
    var template: String
    var major: String

    init(method: String, path: String) {
        self.method = method
        var parts: [String] = []
        var major = ""
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (index, segment) in segments.enumerated() {
            let isID = !segment.isEmpty && segment.allSatisfy(\.isNumber)
            guard isID else {
                parts.append(segment)
                continue
            }
            let previous = index > 0 ? segments[index - 1] : ""
            if major.isEmpty, ["channels", "guilds", "webhooks"].contains(previous) {
                major = segment
                parts.append("{major}")
            } else {
                parts.append("{id}")
            }
        }
        self.template = "\(method) /" + parts.joined(separator: "/")
        self.major = major
    }

    /// The key of this route's requests before the bucket hash is known.
    var key: String { "\(template)|\(major)" }
}
