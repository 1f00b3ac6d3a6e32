import CCurl
import Foundation

/// The production `HTTPClient`, built on libcurl's multi interface.
///
/// Every transfer runs on one dedicated I/O thread per client (see `CurlMultiLoop`); callers only await
/// continuations, so Swift's cooperative pool never blocks. One shared client per process is the intended
/// use; several clients are safe, each with its own thread. Call `shutdown()` when done (deinit does too).
///
/// Proxies: with `Configuration.proxy` unset, libcurl honours `http_proxy`, `https_proxy`, `HTTPS_PROXY`,
/// `ALL_PROXY` and `no_proxy` from the environment. Put loopback (`localhost,127.0.0.1,::1`) in `no_proxy`
/// (or `Configuration.noProxy`) so local services are not sent through the proxy.
///
/// TLS peer and host verification are always on and cannot be disabled. Redirects are not followed.
/// Error messages carry `HTTPRequest.redactedURL`, never the raw URL.
///
/// Sendable: the client's stored properties are immutable and Sendable; all mutable state lives in the
/// loop (see `CurlMultiLoop` for why its `@unchecked Sendable` holds).
public final class CurlHTTPClient: HTTPClient {
    /// Client-wide settings.
    public struct Configuration: Sendable {
        /// Sent as User-Agent unless a request sets its own.
        public var userAgent: String
        /// Proxy URL for every request (`CURLOPT_PROXY`); `nil` lets libcurl read the proxy environment variables.
        public var proxy: String?
        /// Hosts that bypass the proxy (`CURLOPT_NOPROXY`, overrides `no_proxy`); `nil` uses the environment.
        public var noProxy: String?
        /// Default connect timeout for requests made with `makeRequest`.
        public var connectTimeout: Duration
        /// Default total timeout for requests made with `makeRequest`; `nil` means none.
        public var timeout: Duration?
        /// Most simultaneous connections to one host (`CURLMOPT_MAX_HOST_CONNECTIONS`); 0 means unlimited.
        /// Transfers over the limit wait inside libcurl for a free connection.
        public var maxConnectionsPerHost: Int

        public init(userAgent: String = ReplyTensorHTTPVersion.defaultUserAgent, proxy: String? = nil,
                    noProxy: String? = nil, connectTimeout: Duration = .seconds(10),
                    timeout: Duration? = .seconds(60), maxConnectionsPerHost: Int = 0) {
            self.userAgent = userAgent
            self.proxy = proxy
            self.noProxy = noProxy
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }

        /// A request that uses this configuration's default timeouts.
        public func makeRequest(method: String = "GET", url: String, headers: HTTPHeaders = [:], body: Data? = nil,
                                maxBodyBytes: Int = 16 << 20, redactions: [String] = []) -> HTTPRequest {
            HTTPRequest(method: method, url: url, headers: headers, body: body, connectTimeout: connectTimeout,
                        timeout: timeout, maxBodyBytes: maxBodyBytes, redactions: redactions)
        }
    }

    /// Counters for tests and health checks.
    public struct Diagnostics: Sendable {
        /// I/O threads this client started (always 1).
        public var ioThreadsStarted = 0
        /// I/O threads that have exited (1 after `shutdown()` has taken effect).
        public var ioThreadsStopped = 0
        /// Identity (`pthread_self`) of the I/O thread, once it has started.
        public var ioThread: UInt?
        /// Transfers libcurl reported finished (successfully or not); cancellations are not counted.
        public var completedTransfers = 0
        /// Identities of the threads on which transfers completed; one entry, the I/O thread.
        public var completionThreads: [UInt] = []
    }

    /// The settings this client was made with.
    public let configuration: Configuration
    private let loop: CurlMultiLoop

    /// Starts the client's I/O thread.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loop = CurlMultiLoop(maxConnectionsPerHost: configuration.maxConnectionsPerHost, name: "ReplyTensor HTTP I/O")
    }

    deinit { loop.shutdown() }

    /// Sends the request and returns the whole response. Non-2xx statuses are responses, not errors.
    ///
    /// Throws `HTTPClientError`: `.timeout`, `.bodyTooLarge` (Content-Length or received bytes over
    /// `maxBodyBytes`), `.cancelled` when the task is cancelled (the transfer is aborted at once),
    /// `.transport`, or `.invalidRequest`.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        let loop = self.loop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.deliver(to: .collect(continuation))
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Sends the request and returns once the status and the final header block have arrived; the body then
    /// streams chunk by chunk as it arrives (long polls, server-sent events).
    ///
    /// Cancelling the task, or dropping the body (breaking out of the iteration and releasing the
    /// response), aborts the transfer. A cancelled iteration throws `.cancelled` or, as with any
    /// `AsyncStream`, just ends early; `HTTPStreamingResponse.collect` always throws `.cancelled`. At most about 1 MiB (or `maxBodyBytes`, if smaller) waits unread;
    /// beyond that the transfer pauses until the consumer catches up. `maxBodyBytes` bounds the whole body,
    /// so set it high for endless streams. Errors after the headers are thrown by the body's iteration.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        let loop = self.loop
        let pipe = CurlBodyPipe(highWater: min(request.maxBodyBytes, 1 << 20))
        let reader = CurlBodyReader(pipe: pipe, loop: loop, transfer: transfer)
        let body = AsyncThrowingStream<Data, any Error> { try await reader.next() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.deliver(to: .awaitingHead(continuation, body: body, pipe: pipe))
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Stops the I/O thread. Transfers in flight and later requests fail with `.cancelled`. Idempotent.
    public func shutdown() { loop.shutdown() }

    /// A snapshot of the client's counters.
    public var diagnostics: Diagnostics { loop.diagnostics }
}
