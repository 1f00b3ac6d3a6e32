import CCurl
import Foundation
import Synchronization

/// The single I/O thread that drives every transfer of one client through libcurl's multi interface:
/// `curl_multi_perform` → `curl_multi_info_read` → `curl_multi_poll`, over and over.
///
/// Other threads never touch the multi handle or a running transfer; they append a `Command` to a
/// lock-protected inbox and call `curl_multi_wakeup` (libcurl's one thread-safe multi call), under the same
/// lock, so a wakeup can never race the thread's final `curl_multi_cleanup`.
///
/// `@unchecked Sendable` holds because `multi` and `active` are used only on the I/O thread (plus
/// `curl_multi_wakeup` under the inbox lock, before `stopping` is set); everything else is behind a `Mutex`.
final class CurlMultiLoop: @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case resume(CurlTransfer)
    }

    private struct Inbox {
        var commands: [Command] = []
        var stopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let counters = Mutex(CurlHTTPClient.Diagnostics())
    /// I/O thread only: running transfers by easy handle.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnectionsPerHost: Int, name: String) {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        self.multi = multi
        if maxConnectionsPerHost > 0 {
            _ = rt_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    // MARK: Any thread

    /// Hands a configured transfer to the I/O thread. After shutdown, fails it with `.cancelled` instead.
    func submit(_ transfer: CurlTransfer) {
        if !send(.add(transfer)) {
            transfer.finish(.failure(CurlTransfer.shutDownError(transfer.redactedURL)))
        }
    }

    /// Aborts the transfer if it runs, or keeps it from starting. Harmless after it ended.
    func cancel(_ transfer: CurlTransfer) {
        transfer.requestCancel()  // before the command: `add` checks the flag
        _ = send(.cancel(transfer))
    }

    /// Unpauses a transfer whose consumer caught up.
    func resume(_ transfer: CurlTransfer) {
        _ = send(.resume(transfer))
    }

    /// Stops the thread; running and queued transfers fail with `.cancelled`. Idempotent, does not block.
    func shutdown() {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.stopping = true
            _ = curl_multi_wakeup(multi)
        }
    }

    var diagnostics: CurlHTTPClient.Diagnostics { counters.withLock { $0 } }

    private func send(_ command: Command) -> Bool {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.commands.append(command)
            _ = curl_multi_wakeup(multi)
            return true
        }
    }

    // MARK: I/O thread

    private func run() {
        #if canImport(Darwin)
        let threadID = UInt(bitPattern: pthread_self())
        #else
        let threadID = UInt(pthread_self())
        #endif
        counters.withLock { counters in
            counters.ioThreadsStarted += 1
            counters.ioThread = threadID
        }
        var running: Int32 = 0
        while true {
            let (commands, stopping) = inbox.withLock { inbox in
                defer { inbox.commands.removeAll() }
                return (inbox.commands, inbox.stopping)
            }
            for command in commands { handle(command, stopping: stopping) }
            if stopping { return tearDown() }

            _ = curl_multi_perform(multi, &running)
            var finished: [(CurlTransfer, CURLcode)] = []
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result  // read before remove_handle invalidates the message
                _ = curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) { finished.append((transfer, code)) }
            }
            if !finished.isEmpty {
                record(completed: finished.count, on: threadID)  // before callers resume and may read it
                for (transfer, code) in finished { transfer.complete(code) }
            }
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func handle(_ command: Command, stopping: Bool) {
        switch command {
        case .add(let transfer):
            guard let easy = transfer.handle else { return }
            if stopping {
                transfer.finish(.failure(CurlTransfer.shutDownError(transfer.redactedURL)))
            } else if transfer.cancelRequested {
                transfer.finish(.failure(CurlTransfer.cancelledError(transfer.redactedURL)))
            } else if curl_multi_add_handle(multi, easy) == CURLM_OK {
                active[easy] = transfer
            } else {
                transfer.finish(.failure(HTTPClientError(.transport, "curl_multi_add_handle failed", url: transfer.redactedURL)))
            }
        case .cancel(let transfer):
            guard let easy = transfer.handle, active.removeValue(forKey: easy) != nil else { return }
            _ = curl_multi_remove_handle(multi, easy)
            transfer.finish(.failure(CurlTransfer.cancelledError(transfer.redactedURL)))
        case .resume(let transfer):
            guard let easy = transfer.handle, active[easy] != nil else { return }
            _ = curl_easy_pause(easy, rt_curlpause_cont())
        }
    }

    private func tearDown() {
        for (easy, transfer) in active {
            _ = curl_multi_remove_handle(multi, easy)
            transfer.finish(.failure(CurlTransfer.shutDownError(transfer.redactedURL)))
        }
        active.removeAll()
        _ = curl_multi_cleanup(multi)
        counters.withLock { $0.ioThreadsStopped += 1 }
    }

    private func record(completed: Int, on threadID: UInt) {
        counters.withLock { counters in
            counters.completedTransfers += completed
            if !counters.completionThreads.contains(threadID) { counters.completionThreads.append(threadID) }
        }
    }
}
