import CCurl

/// The once-only `curl_global_init`.
///
/// libcurl requires `curl_global_init` before any other call and does not make it thread-safe in every build.
/// A static `let` is initialised lazily exactly once under `swift_once`, which gives the thread-safe guard.
/// `curl_global_cleanup` is deliberately never called: clients may exist until the process exits.
enum CurlGlobal {
    private static let initialized: Bool = curl_global_init(rt_curl_global_default()) == CURLE_OK

    /// Runs `curl_global_init` on first use; later calls are free.
    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed")
    }
}
