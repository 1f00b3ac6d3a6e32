import Hummingbird
import NIOCore

/// The `dropConnection` fault: a 200 answer that starts with `prefix` and breaks the connection mid-body.
enum DroppedResponse {
    static func make(prefix: String, contentType: String = "application/json", contentLength: Int? = 4096) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: contentLength) { writer in
            try await writer.write(ByteBuffer(string: prefix))
            throw EmulatorError("connection dropped by fault plan")
        })
    }
}
