import Foundation
import Hummingbird

/// The request context of the emulators' routers: the request as `RequestRecording` read it, body included, so a
/// handler answers from the very bytes that are recorded.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request as received (its `status` is filled in once answered); set before any route handler runs.
    var record: RecordedRequest

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        record = RecordedRequest(method: "", path: "", query: [:], headers: [:], body: Data(), at: .distantPast,
                                 status: 0)
    }
}
