/// Everything wrong with a configuration, each problem naming its key path. Exit status 78.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
    public init(_ problem: String) { self.problems = [problem] }

    public var description: String {
        problems.count == 1 ? "configuration error: \(problems[0])"
            : "configuration errors:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Collects problems while a configuration is read, so all of them are reported at once.
public final class ConfigProblems {
    private(set) var list: [String] = []
    func add(_ problem: String) { list.append(problem) }
}
