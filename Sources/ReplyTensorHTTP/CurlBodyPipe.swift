import Foundation
import Synchronization

/// Hands streamed body chunks from the I/O thread (producer) to the task iterating the body (consumer).
///
/// Backpressure: once `highWater` bytes wait unread, `offer` answers `.full`; the transfer then returns
/// `CURL_WRITEFUNC_PAUSE` (libcurl keeps the data and delivers it again later) and the consumer asks for the
/// transfer to be resumed when it has drained the buffer to `highWater / 2`.
final class CurlBodyPipe: Sendable {
    enum Offer {
        case accepted
        /// Not taken: pause the transfer until the consumer catches up.
        case full
        /// The consumer is gone: abort the transfer.
        case closed
    }

    private struct State {
        var chunks: [Data] = []
        var head = 0
        var buffered = 0
        var end: Result<Void, HTTPClientError>?
        var consumerClosed = false
        var producerPaused = false
        var waiter: CheckedContinuation<Data?, any Error>?
    }

    private let state = Mutex(State())
    let highWater: Int

    init(highWater: Int) { self.highWater = max(highWater, 1) }

    // MARK: Producer (I/O thread)

    func offer(_ chunk: Data) -> Offer {
        let (offer, waiter) = state.withLock { state -> (Offer, CheckedContinuation<Data?, any Error>?) in
            if state.consumerClosed { return (.closed, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.accepted, waiter)
            }
            if state.buffered >= highWater {
                state.producerPaused = true
                return (.full, nil)
            }
            state.chunks.append(chunk)
            state.buffered += chunk.count
            return (.accepted, nil)
        }
        waiter?.resume(returning: chunk)
        return offer
    }

    /// The body ended: successfully, or with an error the consumer sees after the buffered chunks.
    func finish(_ end: Result<Void, HTTPClientError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Data?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = end
            defer { state.waiter = nil }
            return state.waiter
        }
        switch end {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    // MARK: Consumer (the iterating task)

    /// The next chunk, `nil` at the end. Calls `resumeProducer` when a paused transfer may continue.
    func next(resumeProducer: () -> Void) async throws -> Data? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data?, any Error>) in
            enum Step { case chunk(Data, resume: Bool), end(Result<Void, HTTPClientError>), wait }
            let step = state.withLock { state -> Step in
                if state.head < state.chunks.count {
                    let chunk = state.chunks[state.head]
                    state.head += 1
                    state.buffered -= chunk.count
                    if state.head == state.chunks.count {
                        state.chunks.removeAll(keepingCapacity: true)
                        state.head = 0
                    }
                    let resume = state.producerPaused && state.buffered <= highWater / 2
                    if resume { state.producerPaused = false }
                    return .chunk(chunk, resume: resume)
                }
                if let end = state.end { return .end(end) }
                if state.consumerClosed { return .end(.failure(Self.cancelled)) }
                state.waiter = continuation
                return .wait
            }
            switch step {
            case .chunk(let chunk, let resume):
                if resume { resumeProducer() }
                continuation.resume(returning: chunk)
            case .end(.success):
                continuation.resume(returning: nil)
            case .end(.failure(let error)):
                continuation.resume(throwing: error)
            case .wait:
                break
            }
        }
    }

    /// The consumer stopped (cancelled or dropped the body): wakes a waiting `next` with `.cancelled`.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Data?, any Error>? in
            state.consumerClosed = true
            state.chunks.removeAll()
            state.head = 0
            state.buffered = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: Self.cancelled)
    }

    static var cancelled: HTTPClientError { HTTPClientError(.cancelled, "the response body was cancelled") }
}
