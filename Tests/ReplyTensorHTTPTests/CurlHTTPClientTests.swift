import Foundation
import ReplyTensorHTTP
import Synchronization
import Testing

@Suite("CurlHTTPClient: requests and responses")
struct CurlHTTPClientTests {
    @Test func fiveHundredConcurrentRequestsCompleteOnOneIOThread() async throws {
        let server = try LoopbackServer { request, connection in
            connection.respond(body: "echo \(request.target)")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let bodies = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
            for index in 0..<500 {
                group.addTask { (index, try await client.execute(HTTPRequest(url: "\(server.url)/item/\(index)"))) }
            }
            var bodies: [Int: String] = [:]
            for try await (index, response) in group {
                #expect(response.status == 200)
                bodies[index] = response.text
            }
            return bodies
        }

        #expect(bodies.count == 500)
        #expect((0..<500).allSatisfy { bodies[$0] == "echo /item/\($0)" })
        let diagnostics = client.diagnostics
        #expect(diagnostics.ioThreadsStarted == 1)
        #expect(diagnostics.completedTransfers == 500)
        #expect(diagnostics.ioThread != nil)
        #expect(diagnostics.completionThreads == [diagnostics.ioThread])
    }

    @Test func headersAreCaseInsensitiveAndOnlyTheLastBlockCounts() async throws {
        let server = try LoopbackServer { _, connection in
            connection.write("HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n")
            connection.write("HTTP/1.1 201 Created\r\nX-Custom-Header: Value One\r\nset-cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url))
        #expect(response.status == 201)
        #expect(response.text == "ok")
        #expect(response.headers["x-custom-header"] == "Value One")
        #expect(response.headers["X-CUSTOM-HEADER"] == "Value One")
        #expect(response.headers.values("SET-COOKIE") == ["a=1", "b=2"])
        #expect(response.headers["X-Interim"] == nil)
    }

    @Test func nonSuccessStatusIsAResponseNotAnError() async throws {
        let server = try LoopbackServer { _, connection in connection.respond(status: 404, body: "missing") }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url))
        #expect(response.status == 404)
        #expect(response.text == "missing")
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func requestBodyAndHeadersArriveIntact(method: String) async throws {
        let received = ServerEvents()
        let requests = Mutex<[LoopbackServer.Request]>([])
        let server = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.respond(body: "done")
            received.send("request")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let body = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let headers: HTTPHeaders = ["X-Request-Id": "abc-123", "Content-Type": "application/octet-stream",
                                    "X-Empty": ""]
        let response = try await client.execute(HTTPRequest(method: method, url: "\(server.url)/upload?x=1",
                                                             headers: headers, body: body))
        #expect(response.text == "done")
        var events = received.stream.makeAsyncIterator()
        #expect(await events.event() == "request")

        let request = try #require(requests.withLock { $0.first })
        #expect(request.method == method)
        #expect(request.target == "/upload?x=1")
        #expect(request.body == body)
        #expect(request.headers["x-request-id"] == "abc-123")
        #expect(request.headers["content-type"] == "application/octet-stream")
        #expect(request.headers.values("X-Empty") == [""])
        #expect(request.headers["Content-Length"] == "5000")
        #expect(request.headers["Expect"] == nil)
        #expect(request.headers["User-Agent"] == ReplyTensorHTTPVersion.defaultUserAgent)
    }

    @Test func getSendsNoBodyAndTheDefaultUserAgent() async throws {
        let requests = Mutex<[LoopbackServer.Request]>([])
        let server = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.respond(body: "hi")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        _ = try await client.execute(HTTPRequest(url: "\(server.url)/get"))
        let request = try #require(requests.withLock { $0.first })
        #expect(request.method == "GET")
        #expect(request.body.isEmpty)
        #expect(request.headers["Content-Length"] == nil)
        #expect(request.headers["Transfer-Encoding"] == nil)
        #expect(request.headers["User-Agent"] == "ReplyTensor/0.1.0 (+https://github.com/replytensor/replytensor)")
    }

    @Test func requestUserAgentReplacesTheDefault() async throws {
        let requests = Mutex<[LoopbackServer.Request]>([])
        let server = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.respond()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        _ = try await client.execute(HTTPRequest(url: server.url, headers: ["user-agent": "custom/1"]))
        let request = try #require(requests.withLock { $0.first })
        #expect(request.headers.values("User-Agent") == ["custom/1"])
    }

    @Test func oversizedBodyWithContentLengthIsRefused() async throws {
        let server = try LoopbackServer { _, connection in
            connection.respond(body: String(repeating: "x", count: 1000))
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let error = await httpError { try await client.execute(HTTPRequest(url: server.url, maxBodyBytes: 100)) }
        #expect(error?.code == .bodyTooLarge)
        #expect(error?.message.contains("Content-Length") == true)
        #expect(error?.message.contains("100 bytes") == true)
    }

    @Test func oversizedBodyWithoutContentLengthIsRefused() async throws {
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            for _ in 0..<10 { connection.writeChunk(String(repeating: "y", count: 100)) }
            connection.endChunks()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let error = await httpError { try await client.execute(HTTPRequest(url: server.url, maxBodyBytes: 250)) }
        #expect(error?.code == .bodyTooLarge)
        #expect(error?.message.contains("exceeds the limit of 250 bytes") == true)

        let exact = try await client.execute(HTTPRequest(url: server.url, maxBodyBytes: 1000))
        #expect(exact.body.count == 1000)
    }

    @Test func stalledBodyHitsTheTotalTimeout() async throws {
        let server = try LoopbackServer { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            _ = connection.waitForPeerClose(timeout: 10)
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let (error, duration) = await elapsed {
            await httpError { try await client.execute(HTTPRequest(url: server.url, timeout: .milliseconds(800))) }
        }
        #expect(error?.code == .timeout)
        #expect(duration >= .milliseconds(700))
        #expect(duration < .seconds(5))
    }

    @Test func cancelledLongPollReturnsPromptly() async throws {
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            events.send("holding")
            events.send(connection.waitForPeerClose(timeout: 10) ? "closed" : "still open")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let poll = Task { try await client.execute(HTTPRequest(url: "\(server.url)/getUpdates?timeout=50", timeout: nil)) }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.event() == "holding")

        let (result, duration) = await elapsed { () async -> Result<HTTPResponse, any Error> in
            poll.cancel()
            return await poll.result
        }
        #expect(duration < .milliseconds(750))
        #expect((result.failure as? HTTPClientError)?.code == .cancelled)
        #expect(await iterator.event() == "closed")
    }

    @Test func alreadyCancelledTaskNeverSends() async throws {
        let client = makeLoopbackClient()
        defer { client.shutdown() }
        let port = try LoopbackServer.closedPort()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect((await task.result.failure as? HTTPClientError)?.code == .cancelled)
    }

    @Test func refusedConnectionIsATransportError() async throws {
        let port = try LoopbackServer.closedPort()
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let error = await httpError { try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/")) }
        #expect(error?.code == .transport)
        #expect(error?.message.isEmpty == false)
    }

    @Test func connectionClosedMidBodyIsATransportError() async throws {
        let server = try LoopbackServer { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let error = await httpError { try await client.execute(HTTPRequest(url: server.url)) }
        #expect(error?.code == .transport)
        #expect(error?.url == server.url)
    }

    @Test func configuredProxyReceivesTheRequest() async throws {
        let requests = Mutex<[LoopbackServer.Request]>([])
        let proxy = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.respond(body: "via proxy")
        }
        defer { proxy.stop() }
        let client = CurlHTTPClient(configuration: .init(proxy: proxy.url, noProxy: ""))
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: "http://origin.example.invalid/path?q=1"))
        #expect(response.text == "via proxy")
        let request = try #require(requests.withLock { $0.first })
        #expect(request.target == "http://origin.example.invalid/path?q=1")
        #expect(request.headers["Host"] == "origin.example.invalid")
    }

    @Test func gzipBodiesAreDecodedAndCountedDecoded() async throws {
        // gzip of "compressed hello " × 20 (340 bytes), 42 bytes on the wire.
        let gzipped = try #require(Data(base64Encoded: "H4sIAAAAAAACA0vOzy0oSi0uTk1RyEjNyclXSB4VoFQAAK17G89UAQAA"))
        let requests = Mutex<[LoopbackServer.Request]>([])
        let server = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(gzipped.count)\r\n"
                + "Connection: close\r\n\r\n")
            connection.write(gzipped)
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url))
        #expect(response.text == String(repeating: "compressed hello ", count: 20))
        #expect(requests.withLock { $0.first?.headers["Accept-Encoding"]?.contains("gzip") } == true)

        let error = await httpError { try await client.execute(HTTPRequest(url: server.url, maxBodyBytes: 100)) }
        #expect(error?.code == .bodyTooLarge)
    }

    @Test func severalClientsAreIndependentAndDeinitIsSafe() async throws {
        let server = try LoopbackServer { _, connection in connection.respond(body: "ok") }
        defer { server.stop() }
        let survivor = makeLoopbackClient()
        defer { survivor.shutdown() }

        for _ in 0..<10 {
            let shortLived = makeLoopbackClient()  // released without shutdown(): deinit stops its thread
            #expect(try await shortLived.execute(HTTPRequest(url: server.url)).text == "ok")
        }
        let stopped = makeLoopbackClient()
        stopped.shutdown()
        stopped.shutdown()
        #expect(try await survivor.execute(HTTPRequest(url: server.url)).text == "ok")
        #expect(await httpError { try await stopped.execute(HTTPRequest(url: server.url)) }?.code == .cancelled)
    }

    @Test func headRequestIgnoresContentLengthLimit() async throws {
        let requests = Mutex<[LoopbackServer.Request]>([])
        let server = try LoopbackServer { request, connection in
            requests.withLock { $0.append(request) }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(method: "HEAD", url: server.url, maxBodyBytes: 10))
        #expect(response.status == 200)
        #expect(response.headers["content-length"] == "1000000")
        #expect(response.body.isEmpty)
        #expect(requests.withLock { $0.first?.method } == "HEAD")
    }

    @Test func headerInjectionIsAnInvalidRequest() async throws {
        let client = makeLoopbackClient()
        defer { client.shutdown() }
        let value = await httpError {
            try await client.execute(HTTPRequest(url: "http://127.0.0.1:9/", headers: ["X-A": "1\r\nX-B: 2"]))
        }
        #expect(value?.code == .invalidRequest)
        let name = await httpError {
            try await client.execute(HTTPRequest(url: "http://127.0.0.1:9/", headers: ["Bad Name": "1"]))
        }
        #expect(name?.code == .invalidRequest)
        let method = await httpError { try await client.execute(HTTPRequest(method: "GET /x", url: "http://127.0.0.1:9/")) }
        #expect(method?.code == .invalidRequest)
    }

    @Test func errorsShowTheRedactedURLNeverTheSecret() async throws {
        let port = try LoopbackServer.closedPort()
        let client = makeLoopbackClient()
        defer { client.shutdown() }
        let secret = "123456:SECRET-bot-token"

        let error = await httpError {
            try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/bot\(secret)/getMe", redactions: [secret]))
        }
        let description = try #require(error).description
        #expect(description.contains("/bot<redacted>/getMe"))
        #expect(!description.contains(secret))
        #expect(!description.contains("SECRET"))
    }

    @Test func unsupportedSchemeIsAnInvalidRequest() async throws {
        let client = makeLoopbackClient()
        defer { client.shutdown() }
        let error = await httpError { try await client.execute(HTTPRequest(url: "file:///etc/passwd")) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func shutdownFailsRequestsInFlightAndAfterwards() async throws {
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            events.send("holding")
            _ = connection.waitForPeerClose(timeout: 10)
        }
        defer { server.stop() }
        let client = makeLoopbackClient()

        let poll = Task { try await client.execute(HTTPRequest(url: server.url, timeout: nil)) }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.event() == "holding")
        client.shutdown()
        #expect((await poll.result.failure as? HTTPClientError)?.code == .cancelled)

        let late = await httpError { try await client.execute(HTTPRequest(url: server.url)) }
        #expect(late?.code == .cancelled)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
