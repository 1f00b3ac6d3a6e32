import Foundation

/// Tells a 403 that means "this app or these credentials may not do this" (stop and tell the operator) from any
/// other 403 (a passing refusal: retry later). X says which it is in the problem's `type` and `reason`
/// (docs.x.com/x-api/fundamentals/response-codes-and-errors; the problem types of the X API v2 OpenAPI document,
/// api.x.com/2/openapi.json) or, in the v1.1 shape, in the error `code`:
/// - `…/problems/client-forbidden` ("Client Forbidden", e.g. `reason` `client-not-enrolled`: "you must use keys and
///   tokens from a Twitter developer App that is attached to a Project"),
/// - `…/problems/unsupported-authentication` ("Unsupported Authentication"),
/// - `…/problems/oauth1-permissions` ("Your client app is not configured with the appropriate oauth1 app permissions
///   for this endpoint"),
/// - codes 453 (the app's access level lacks the endpoint), 261 (the app may not write), 64 (the account is
///   suspended), 326 (the account is locked), 32 / 89 / 215 (bad authentication data or token).
enum XForbidden {
    static let problemTypes: Set<String> = ["client-forbidden", "unsupported-authentication", "oauth1-permissions"]
    static let codes: Set<Int> = [32, 64, 89, 215, 261, 326, 453]
    static let titles: Set<String> = ["client forbidden", "unsupported authentication"]

    private struct Body: Decodable {
        struct Legacy: Decodable { var code: Int? }
        var type: String?
        var title: String?
        var reason: String?
        var errors: [Legacy]?
    }

    /// True when the body of a 403 says the app or its credentials are not authorised.
    static func isAuthorisationProblem(_ body: Data) -> Bool {
        guard let problem = try? JSONDecoder().decode(Body.self, from: body) else { return false }
        if let type = problem.type, let kind = type.split(separator: "/").last, problemTypes.contains(String(kind)) {
            return true
        }
        if problem.reason == "client-not-enrolled" { return true }
        if let title = problem.title?.lowercased(), titles.contains(title) { return true }
        return problem.errors?.contains { $0.code.map(codes.contains) ?? false } ?? false
    }
}
