import Foundation
import Hummingbird

/// One request as an emulator received it.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    public var query: [String: String]
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data
    public var at: Date
    /// The status the emulator answered.
    public var status: Int

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
    /// The body parsed as a JSON object, if it is one.
    public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
}

/// Keeps every request an emulator received, for assertions and for the sandbox's summary.
public actor RequestRecorder {
    private var log: [RecordedRequest] = []
    public init() {}

    public func record(_ request: RecordedRequest) { log.append(request) }
    public var requests: [RecordedRequest] { log }
    public func requests(path suffix: String) -> [RecordedRequest] { log.filter { $0.path.hasSuffix(suffix) } }
    public func reset() { log.removeAll() }
}

extension RecordedRequest {
    /// Reads a Hummingbird request fully (up to `limit` bytes) into a record; `status` is filled in later.
    public static func read(_ request: Request, limit: Int = 8 << 20) async throws -> RecordedRequest {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let buffer = try await request.body.collect(upTo: limit)
        return RecordedRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                               headers: headers, body: Data(buffer.readableBytesView), at: Date(), status: 0)
    }
}
