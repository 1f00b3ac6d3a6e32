import Foundation
import ReplyTensorHTTP
import Synchronization
import Testing

@Suite("CurlHTTPClient: streaming")
struct CurlStreamingTests {
    @Test func chunksArriveIncrementally() async throws {
        let gate = Gate()
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            connection.startChunked(headers: [("Content-Type", "text/event-stream")])
            connection.writeChunk("data: first\n\n")
            events.send(gate.wait(timeout: 5) ? "second sent after the first was read" : "gate timed out")
            connection.writeChunk("data: second\n\n")
            connection.endChunks()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/event-stream")

        var chunks: [String] = []
        for try await chunk in response.body {
            chunks.append(String(decoding: chunk, as: UTF8.self))
            if chunks.count == 1 { gate.open() }
        }
        #expect(chunks.first == "data: first\n\n")
        #expect(chunks.joined() == "data: first\n\ndata: second\n\n")
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.event() == "second sent after the first was read")
    }

    @Test func streamReturnsWhenHeadersArriveBeforeAnyBody() async throws {
        let gate = Gate()
        let server = try LoopbackServer { _, connection in
            connection.startChunked(headers: [("X-Poll", "held")])
            _ = gate.wait(timeout: 5)
            connection.writeChunk("late")
            connection.endChunks()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, timeout: .seconds(10)))
        #expect(response.headers["x-poll"] == "held")
        gate.open()
        #expect(try await response.collect() == Data("late".utf8))
    }

    @Test func breakingOutOfTheIterationAbortsTheTransfer() async throws {
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            connection.writeChunk("hello")
            events.send(connection.waitForPeerClose(timeout: 5) ? "closed" : "still open")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let (closed, duration) = try await elapsed {
            try await readFirstChunk(client, url: server.url)
            var iterator = events.stream.makeAsyncIterator()
            return await iterator.event()
        }
        #expect(closed == "closed")
        #expect(duration < .seconds(2))
    }

    private func readFirstChunk(_ client: CurlHTTPClient, url: String) async throws {
        let response = try await client.stream(HTTPRequest(url: url, timeout: nil))
        for try await chunk in response.body {
            #expect(chunk == Data("hello".utf8))
            break
        }
    }

    @Test func cancellingTheConsumerAbortsTheStream() async throws {
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            connection.writeChunk("one")
            events.send("waiting")
            events.send(connection.waitForPeerClose(timeout: 5) ? "closed" : "still open")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, timeout: nil))
        let consumer = Task { try await response.collect() }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.event() == "waiting")
        let (result, duration) = await elapsed { () async -> Result<Data, any Error> in
            consumer.cancel()
            return await consumer.result
        }
        #expect(duration < .milliseconds(750))
        #expect((result.failure as? HTTPClientError)?.code == .cancelled)
        #expect(await iterator.event() == "closed")
    }

    @Test func cancellingWhileWaitingForHeadersReturnsPromptly() async throws {
        let events = ServerEvents()
        let server = try LoopbackServer { _, connection in
            events.send("holding")
            events.send(connection.waitForPeerClose(timeout: 5) ? "closed" : "still open")
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let task = Task { try await client.stream(HTTPRequest(url: server.url, timeout: nil)) }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.event() == "holding")
        let (result, duration) = await elapsed { () async -> Result<HTTPStreamingResponse, any Error> in
            task.cancel()
            return await task.result
        }
        #expect(duration < .milliseconds(750))
        #expect((result.failure as? HTTPClientError)?.code == .cancelled)
        #expect(await iterator.event() == "closed")
    }

    @Test func stalledStreamHitsTheTotalTimeout() async throws {
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            connection.writeChunk("partial")
            _ = connection.waitForPeerClose(timeout: 10)
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, timeout: .milliseconds(800)))
        let error = await httpError { try await response.collect() }
        #expect(error?.code == .timeout)
    }

    @Test func oversizedStreamIsRefused() async throws {
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            for _ in 0..<20 { connection.writeChunk(String(repeating: "z", count: 100)) }
            connection.endChunks()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, maxBodyBytes: 500))
        let error = await httpError { try await response.collect(limit: .max) }
        #expect(error?.code == .bodyTooLarge)
    }

    @Test func oversizedContentLengthFailsBeforeTheStreamReturns() async throws {
        let server = try LoopbackServer { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n")
            _ = connection.waitForPeerClose(timeout: 5)
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let error = await httpError { try await client.stream(HTTPRequest(url: server.url, maxBodyBytes: 1000)) }
        #expect(error?.code == .bodyTooLarge)
    }

    /// 8 MiB through a consumer that starts late: the transfer pauses at the buffer limit, resumes, and
    /// every byte arrives in order.
    @Test func slowConsumerGetsEveryByteThroughBackpressure() async throws {
        let block = Data((0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let server = try LoopbackServer { _, connection in
            connection.startChunked()
            for _ in 0..<128 where connection.writeChunk(block) {}
            connection.endChunks()
        }
        defer { server.stop() }
        let client = makeLoopbackClient()
        defer { client.shutdown() }

        let response = try await client.stream(HTTPRequest(url: server.url, maxBodyBytes: 64 << 20))
        try await Task.sleep(for: .milliseconds(300))  // let the producer run into the buffer limit
        var received = Data()
        for try await chunk in response.body { received.append(chunk) }
        #expect(received.count == 128 * block.count)
        var expected = Data()
        for _ in 0..<128 { expected.append(block) }
        #expect(received == expected)
    }
}
