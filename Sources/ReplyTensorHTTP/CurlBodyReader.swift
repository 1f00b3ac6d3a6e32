import Foundation

/// The consumer side of a streamed body, owned by the body's `AsyncThrowingStream`. When the stream and its
/// iterators are released (the caller broke out of the loop and dropped the response), this aborts the transfer.
final class CurlBodyReader: Sendable {
    private let pipe: CurlBodyPipe
    private let loop: CurlMultiLoop
    private let transfer: CurlTransfer

    init(pipe: CurlBodyPipe, loop: CurlMultiLoop, transfer: CurlTransfer) {
        self.pipe = pipe
        self.loop = loop
        self.transfer = transfer
    }

    deinit { abort() }

    func next() async throws -> Data? {
        try await withTaskCancellationHandler {
            try await pipe.next { loop.resume(transfer) }
        } onCancel: {
            abort()
        }
    }

    private func abort() {
        pipe.close()
        loop.cancel(transfer)
    }
}
