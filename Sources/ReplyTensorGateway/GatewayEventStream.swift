import Foundation

/// Reads server-sent events incrementally: feed it body chunks, get back the `data` payload of each complete event.
/// Comments (`: keep-alive`), `event:`/`id:`/`retry:` fields and blank keep-alives are ignored.
struct GatewayEventStream: Sendable {
    private var buffer: [UInt8] = []
    private var dataLines: [String] = []

    /// Payloads of the events completed by `chunk`.
    mutating func feed(_ chunk: Data) -> [String] {
        buffer.append(contentsOf: chunk)
        var payloads: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            var line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            if line.last == 0x0D { line.removeLast() }
            handle(line, into: &payloads)
        }
        return payloads
    }

    /// Payloads still pending when the body ends (a last event without its blank line).
    mutating func finish() -> [String] {
        var payloads: [String] = []
        if !buffer.isEmpty {
            var line = buffer
            buffer.removeAll()
            if line.last == 0x0D { line.removeLast() }
            handle(line, into: &payloads)
        }
        dispatch(into: &payloads)
        return payloads
    }

    private mutating func handle(_ line: [UInt8], into payloads: inout [String]) {
        if line.isEmpty {
            dispatch(into: &payloads)
            return
        }
        if line.first == UInt8(ascii: ":") { return }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        guard field == "data" else { return }
        dataLines.append(String(value))
    }

    private mutating func dispatch(into payloads: inout [String]) {
        guard !dataLines.isEmpty else { return }
        defer { dataLines.removeAll() }
        let joined = dataLines.joined(separator: "\n")
        // Some servers omit the blank line between events: fall back to one payload per line.
        if dataLines.count > 1, (try? JSONSerialization.jsonObject(with: Data(joined.utf8))) == nil {
            payloads.append(contentsOf: dataLines)
        } else {
            payloads.append(joined)
        }
    }
}
