import Hummingbird

extension EmulatorServer {
    /// Starts a server that hands every GET and POST request, whatever its path, to `handle`: how the platform
    /// emulators (whose routes dispatch on the path themselves) start.
    public static func start(name: String,
                             everyPath handle: @escaping @Sendable (Request) async throws -> Response) async throws
        -> EmulatorServer {
        let router = Router()
        router.on("**", method: .get) { request, _ in try await handle(request) }
        router.on("**", method: .post) { request, _ in try await handle(request) }
        return try await start(router, name: name)
    }
}

extension RequestRecorder {
    /// A route handler that reads the request (up to `limit` bytes), answers it with `answer` and records it with
    /// the status it was answered: how the local miners and the subtensor emulator serve.
    public nonisolated func recording(limit: Int = 8 << 20, _ answer: @escaping @Sendable (RecordedRequest) async -> Response)
        -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { request, _ in
            var record = try await RecordedRequest.read(request, limit: limit)
            let response = await answer(record)
            record.status = response.status.code
            await self.record(record)
            return response
        }
    }
}
