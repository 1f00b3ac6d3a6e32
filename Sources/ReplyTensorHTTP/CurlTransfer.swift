import CCurl
import Foundation
import Synchronization

/// One request's libcurl easy handle and the response its callbacks assemble.
///
/// `@unchecked Sendable` holds because of a strict hand-over: the creating task configures the transfer and
/// sets its delivery, then `CurlMultiLoop.submit` passes it through a lock-protected queue (which orders those
/// writes before the I/O thread's reads). From then on every mutable property is touched only on the I/O
/// thread, where libcurl runs the callbacks and the loop calls `finish`. The one exception, `cancelRequested`,
/// is an `Atomic`. A transfer that never reaches the loop is finished by its creator instead, still by one owner.
final class CurlTransfer: @unchecked Sendable {
    /// Where the outcome goes.
    enum Delivery {
        /// Not yet handed to a caller.
        case unassigned
        /// `execute`: the whole response at the end.
        case collect(CheckedContinuation<HTTPResponse, any Error>)
        /// `stream`, before the headers: the head continuation and the body to hand out with it.
        case awaitingHead(CheckedContinuation<HTTPStreamingResponse, any Error>,
                          body: AsyncThrowingStream<Data, any Error>, pipe: CurlBodyPipe)
        /// `stream`, after the headers: chunks go to the pipe.
        case streaming(CurlBodyPipe)
        /// The outcome was delivered.
        case finished
    }

    private(set) var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let cancelFlag = Atomic<Bool>(false)

    let redactedURL: String
    private let redactions: [String]
    private let maxBodyBytes: Int
    private let expectsBody: Bool

    // I/O-thread state.
    private var delivery: Delivery = .unassigned
    private var status = 0
    private var headers = HTTPHeaders()
    private var headComplete = false
    private var receivedBytes = 0
    private var body = Data()
    private var abortError: HTTPClientError?

    /// Creates and configures the easy handle; throws `.invalidRequest` for requests libcurl cannot take.
    init(request: HTTPRequest, configuration: CurlHTTPClient.Configuration) throws(HTTPClientError) {
        CurlGlobal.ensureInitialized()
        redactedURL = request.redactedURL
        redactions = request.redactions
        maxBodyBytes = max(request.maxBodyBytes, 0)
        expectsBody = request.method != "HEAD"
        errorBuffer = .allocate(capacity: rt_curl_error_size())
        errorBuffer.initialize(repeating: 0, count: rt_curl_error_size())
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(.transport, "curl_easy_init failed", url: redactedURL)
        }
        self.handle = handle

        let options = CurlOptions(handle: handle, redactedURL: redactedURL)
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        try options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try options.check(rt_curl_easy_setopt_write_callback(handle) { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }, CURLOPT_WRITEFUNCTION)
        try options.set(CURLOPT_WRITEDATA, pointer: userdata)
        try options.check(rt_curl_easy_setopt_header_callback(handle) { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.receiveHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }, CURLOPT_HEADERFUNCTION)
        try options.set(CURLOPT_HEADERDATA, pointer: userdata)
        headerList = try options.apply(request, configuration: configuration)
    }

    deinit {
        releaseHandle()
        errorBuffer.deallocate()
    }

    /// Sets where the outcome goes; by the creating task, before `submit`.
    func deliver(to delivery: Delivery) { self.delivery = delivery }

    /// Set from any thread; the loop then aborts the transfer (or never starts it).
    var cancelRequested: Bool { cancelFlag.load(ordering: .acquiring) }
    func requestCancel() { cancelFlag.store(true, ordering: .releasing) }

    // MARK: libcurl callbacks (I/O thread)

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new header block (after 100 Continue, or a redirect): only the last block counts.
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            status = parts.count > 1 ? Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
            headers = HTTPHeaders()
            headComplete = false
            return bytes.count
        }
        if headComplete { return bytes.count }  // trailers after a chunked body
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            guard status >= 200 else { return bytes.count }  // an interim 1xx block ends
            headComplete = true
            return headersEnded() ? bytes.count : 0
        }
        if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
        }
        return bytes.count
    }

    /// The final header block is complete. Returns false to abort the transfer.
    private func headersEnded() -> Bool {
        if expectsBody, let length = headers["Content-Length"].flatMap({ Int($0) }) {
            if length > maxBodyBytes {
                abortError = HTTPClientError(
                    .bodyTooLarge,
                    "response body of \(length) bytes (Content-Length) exceeds the limit of \(maxBodyBytes) bytes",
                    url: redactedURL)
                return false
            }
            if case .collect = delivery { body.reserveCapacity(length) }
        }
        if case .awaitingHead(let continuation, let stream, let pipe) = delivery {
            delivery = .streaming(pipe)
            continuation.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: stream))
        }
        return true
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let count = bytes.count
        if receivedBytes + count > maxBodyBytes {
            abortError = HTTPClientError(
                .bodyTooLarge, "response body exceeds the limit of \(maxBodyBytes) bytes", url: redactedURL)
            return 0
        }
        switch delivery {
        case .collect:
            if let base = bytes.baseAddress { body.append(base.assumingMemoryBound(to: UInt8.self), count: count) }
        case .streaming(let pipe):
            switch pipe.offer(Data(bytes)) {
            case .accepted: break
            case .full: return rt_curl_writefunc_pause()
            case .closed:
                abortError = CurlBodyPipe.cancelled
                return 0
            }
        case .awaitingHead, .unassigned, .finished:
            // Body bytes before a final header block (HTTP/0.9-like answers): not HTTP we accept.
            abortError = HTTPClientError(.transport, "response body arrived before the headers", url: redactedURL)
            return 0
        }
        receivedBytes += count
        return count
    }

    // MARK: Completion (I/O thread, or the creator if the transfer never reached the loop)

    /// libcurl finished the transfer with `code`; the handle is already out of the multi.
    func complete(_ code: CURLcode) {
        if let abortError { return finish(.failure(abortError)) }
        if code == CURLE_OK { return finish(.success(())) }
        if cancelRequested { return finish(.failure(Self.cancelledError(redactedURL))) }
        finish(.failure(error(for: code)))
    }

    /// Delivers the outcome once and frees the easy handle.
    func finish(_ outcome: Result<Void, HTTPClientError>) {
        if case .success = outcome, status == 0, let handle {
            var code = 0
            _ = rt_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
            status = code
        }
        let delivery = self.delivery
        self.delivery = .finished
        releaseHandle()
        switch (delivery, outcome) {
        case (.collect(let continuation), .success):
            continuation.resume(returning: HTTPResponse(status: status, headers: headers, body: body))
            body = Data()
        case (.collect(let continuation), .failure(let error)):
            continuation.resume(throwing: error)
        case (.awaitingHead(let continuation, let stream, let pipe), .success):
            pipe.finish(.success(()))
            continuation.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: stream))
        case (.awaitingHead(let continuation, _, let pipe), .failure(let error)):
            pipe.finish(.failure(error))
            continuation.resume(throwing: error)
        case (.streaming(let pipe), _):
            pipe.finish(outcome)
        case (.unassigned, _), (.finished, _):
            break
        }
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        let text = String(cString: curl_easy_strerror(code))
        let detail = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = Redaction.apply(redactions, to: detail.isEmpty || detail == text ? text : "\(text): \(detail)")
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return HTTPClientError(.timeout, message, url: redactedURL)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return HTTPClientError(.invalidRequest, message, url: redactedURL)
        default: return HTTPClientError(.transport, message, url: redactedURL)
        }
    }

    static func cancelledError(_ url: String?) -> HTTPClientError {
        HTTPClientError(.cancelled, "the request was cancelled", url: url)
    }

    static func shutDownError(_ url: String?) -> HTTPClientError {
        HTTPClientError(.cancelled, "the HTTP client was shut down", url: url)
    }

    private func releaseHandle() {
        if let handle { curl_easy_cleanup(handle) }
        handle = nil
        curl_slist_free_all(headerList)
        headerList = nil
    }
}
