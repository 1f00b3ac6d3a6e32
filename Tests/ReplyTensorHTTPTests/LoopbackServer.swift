import Foundation
import ReplyTensorHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTP/1.1 server for tests, bound to 127.0.0.1 only. Each connection gets its own thread,
/// reads one request and hands it to the handler, which writes whatever bytes it likes (and may stall).
/// The connection is closed when the handler returns.
final class LoopbackServer: Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: HTTPHeaders
        var body: Data
    }

    typealias Handler = @Sendable (Request, LoopbackConnection) -> Void

    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)

    var url: String { "http://127.0.0.1:\(port)" }

    init(_ handler: @escaping Handler) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let error = errno
            close(fd)
            throw LoopbackError.socket("bind/listen", error)
        }
        listener = fd
        port = Self.localPort(fd)

        let thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    break
                }
                let connectionThread = Thread {
                    let connection = LoopbackConnection(fd: client)
                    if let request = connection.readRequest() { handler(request, connection) }
                    close(client)
                }
                connectionThread.stackSize = 256 << 10
                connectionThread.start()
            }
            close(fd)
        }
        thread.name = "LoopbackServer accept"
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting; connections already open finish their handlers.
    func stop() {
        if !stopped.exchange(true, ordering: .acquiringAndReleasing) { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port nobody listens on: bound, read back, closed without listening.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket("socket", errno) }
        defer { close(fd) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LoopbackError.socket("bind", errno) }
        return localPort(fd)
    }
}

enum LoopbackError: Error {
    case socket(String, Int32)
}

/// One accepted connection, used from its server thread only.
final class LoopbackConnection: Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// Reads one request (headers, then a Content-Length body). `nil` if the peer went away.
    func readRequest() -> LoopbackServer.Request? {
        var buffer = [UInt8]()
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            guard let bytes = receive(timeout: 10) else { return nil }
            buffer += bytes
            headerEnd = Self.find(separator, in: buffer)
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(buffer[(headerEnd! + separator.count)...])
        let length = headers["Content-Length"].flatMap { Int($0) } ?? 0
        while body.count < length {
            guard let bytes = receive(timeout: 10) else { return nil }
            body += bytes
        }
        return LoopbackServer.Request(method: String(requestLine[0]), target: String(requestLine[1]),
                                      headers: headers, body: Data(body))
    }

    @discardableResult
    func write(_ text: String) -> Bool { write(Data(text.utf8)) }

    @discardableResult
    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }

    /// A complete response with Content-Length, then the connection closes.
    func respond(status: Int = 200, headers: [(String, String)] = [], body: String = "") {
        var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        write(head + "\r\n" + body)
    }

    /// Starts a chunked response; follow with `writeChunk` and `endChunks`.
    func startChunked(status: Int = 200, headers: [(String, String)] = []) {
        var head = "HTTP/1.1 \(status) Status\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        write(head + "\r\n")
    }

    @discardableResult
    func writeChunk(_ data: Data) -> Bool {
        write(String(data.count, radix: 16) + "\r\n") && write(data) && write("\r\n")
    }

    @discardableResult
    func writeChunk(_ text: String) -> Bool { writeChunk(Data(text.utf8)) }

    func endChunks() { write("0\r\n\r\n") }

    /// Waits until the client closes or resets the connection; false if it is still open after `timeout`.
    func waitForPeerClose(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let bytes = receive(timeout: deadline.timeIntervalSinceNow) else { return true }
            if bytes.isEmpty { continue }  // poll timed out; loop re-checks the deadline
        }
        return false
    }

    /// Bytes read, `[]` when nothing arrived within `timeout`, `nil` at end of stream or error.
    private func receive(timeout: Double) -> [UInt8]? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(timeout, 0) * 1000))
        if ready == 0 { return [] }
        if ready < 0 { return errno == EINTR ? [] : nil }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count <= 0 { return nil }
        return Array(chunk[..<count])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

/// Lets a server thread wait (blocking) for the test to reach a point; `signal` never blocks.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func open() { semaphore.signal() }
    /// True if opened within `timeout` seconds.
    func wait(timeout: Double) -> Bool { semaphore.wait(timeout: .now() + timeout) == .success }
}
