import Hummingbird

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
