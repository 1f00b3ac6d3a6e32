/// An element of a platform's list that may be malformed (wrong types, missing fields): decoding a list of these
/// keeps the rest of the page, and the bad element still tells its `id` when it has a readable one.
public enum LenientElement<Value: Decodable & Sendable>: Decodable, Sendable {
    case value(Value)
    case invalid(id: String?, error: any Error)

    private struct IDOnly: Decodable { var id: String? }

    public init(from decoder: any Decoder) throws {
        do {
            self = .value(try Value(from: decoder))
        } catch {
            self = .invalid(id: try? IDOnly(from: decoder).id, error: error)
        }
    }
}
