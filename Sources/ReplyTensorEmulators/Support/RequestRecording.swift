import Hummingbird

/// The first middleware of every emulator's router. For the methods the emulator serves it reads the request once
/// (into `context.record`), lets the router answer it, answers what no route matched the way the emulated platform
/// does (`unmatched`, instead of Hummingbird's empty 404), and records the request with the status it got.
/// Requests with any other method, and requests for `/` itself (no path segment: never an API path), pass through
/// unrecorded and get Hummingbird's 404.
///
/// Added to the router before any route, it also wraps the router's not-found responder, so unknown paths are
/// recorded like known ones.
struct RequestRecording: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let recorder: RequestRecorder
    let methods: Set<HTTPRequest.Method>
    let unmatched: @Sendable (Request, Context) async -> Response

    init(recorder: RequestRecorder, methods: Set<HTTPRequest.Method> = [.get, .post],
         unmatched: @escaping @Sendable (Request, Context) async -> Response) {
        self.recorder = recorder
        self.methods = methods
        self.unmatched = unmatched
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        guard methods.contains(request.method), request.uri.path.contains(where: { $0 != "/" }) else {
            return try await next(request, context)
        }
        var context = context
        context.record = try await RecordedRequest.read(request)
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router's not-found responder: no route has this path (or not for this method).
            response = await unmatched(request, context)
        }
        var record = context.record
        record.status = response.status.code
        await recorder.record(record)
        return response
    }
}
