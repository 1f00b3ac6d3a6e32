import CCurl
import Foundation

/// Typed, throwing setters for one libcurl easy handle, and the translation of an `HTTPRequest` into options.
struct CurlOptions {
    let handle: UnsafeMutableRawPointer
    /// Used in error messages.
    let redactedURL: String

    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(rt_curl_easy_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(HTTPClientError) {
        try set(option, value ? 1 : 0)
    }

    /// libcurl copies string options (all but `CURLOPT_POSTFIELDS`, which is never used here).
    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(rt_curl_easy_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(rt_curl_easy_setopt_pointer(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, offset: Int64) throws(HTTPClientError) {
        try check(rt_curl_easy_setopt_off_t(handle, option, curl_off_t(offset)), option)
    }

    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) throws(HTTPClientError) {
        try check(rt_curl_easy_setopt_slist(handle, option, list), option)
    }

    func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code != CURLE_OK else { return }
        let text = String(cString: curl_easy_strerror(code))
        throw HTTPClientError(.invalidRequest, "libcurl refused option \(option.rawValue): \(text)", url: redactedURL)
    }

    /// Sets everything a request decides: URL, method, body, headers, timeouts, proxy, TLS and safety options.
    /// Returns the header list, which must stay alive until the transfer ends (then `curl_slist_free_all`).
    func apply(_ request: HTTPRequest, configuration: CurlHTTPClient.Configuration)
        throws(HTTPClientError) -> UnsafeMutablePointer<curl_slist>?
    {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, true)
        try set(CURLOPT_FOLLOWLOCATION, false)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_TCP_KEEPALIVE, true)
        // Proxy CONNECT responses never reach the header callback; only the origin's headers count.
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, true)
        // TLS verification is always on; there is deliberately no option to turn it off.
        try set(CURLOPT_SSL_VERIFYPEER, true)
        try set(CURLOPT_SSL_VERIFYHOST, 2)

        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, request.timeout.map(Self.milliseconds) ?? 0)

        // Without an explicit proxy, libcurl reads http_proxy, https_proxy, ALL_PROXY and no_proxy itself.
        if let proxy = configuration.proxy { try set(CURLOPT_PROXY, proxy) }
        if let noProxy = configuration.noProxy { try set(CURLOPT_NOPROXY, noProxy) }

        try applyMethod(request)
        return try headerList(for: request, userAgent: configuration.userAgent)
    }

    private func applyMethod(_ request: HTTPRequest) throws(HTTPClientError) {
        let method = request.method
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
            throw HTTPClientError(.invalidRequest, "invalid HTTP method \"\(method)\"", url: redactedURL)
        }
        if request.body != nil || method == "POST" {
            let body = request.body ?? Data()
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            if body.isEmpty {
                try set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                // COPYPOSTFIELDS copies exactly POSTFIELDSIZE bytes, so binary bodies are fine.
                let code = body.withUnsafeBytes { bytes in
                    rt_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
                try check(code, CURLOPT_COPYPOSTFIELDS)
            }
            if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "GET" {
            try set(CURLOPT_HTTPGET, true)
        } else if method == "HEAD" {
            try set(CURLOPT_NOBODY, true)
        } else {
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func headerList(for request: HTTPRequest, userAgent: String)
        throws(HTTPClientError) -> UnsafeMutablePointer<curl_slist>?
    {
        var lines: [String] = []
        for (name, value) in request.headers {
            let badName = name.isEmpty || name.contains { $0 == ":" || $0.isWhitespace || $0.isNewline }
            if badName || value.contains(where: \.isNewline) {
                throw HTTPClientError(.invalidRequest, "invalid header \"\(Redaction.apply(request.redactions, to: name))\"",
                                      url: redactedURL)
            }
            // "Name;" is libcurl's spelling of a header sent with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // libcurl adds "Expect: 100-continue" to large bodies (a needless round trip) and claims
        // application/x-www-form-urlencoded for POSTFIELDS; "Name:" removes a header libcurl would add.
        if request.headers["Expect"] == nil { lines.append("Expect:") }
        if request.body != nil, request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        if request.headers["User-Agent"] == nil { try set(CURLOPT_USERAGENT, userAgent) }

        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw HTTPClientError(.invalidRequest, "out of memory building headers", url: redactedURL)
            }
            list = appended
        }
        do {
            try set(CURLOPT_HTTPHEADER, list: list)
        } catch {
            curl_slist_free_all(list)
            throw error
        }
        return list
    }

    /// Whole milliseconds, at least 1 for a positive duration (0 means "no limit" to libcurl), clamped.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, duration > .zero else { return 1 }
        guard seconds < Int64(Int.max / 1000) - 1 else { return Int.max }
        let ms = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        return max(ms, 1)
    }
}
