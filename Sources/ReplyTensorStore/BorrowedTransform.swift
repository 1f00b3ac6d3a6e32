import Synchronization

/// A non-escaping transform lent to a write job on the writer's thread (`withoutActuallyEscaping`): the job takes it
/// out once to run it, and the lender takes back whatever is left before the loan ends, so the closure never
/// outlives the call that lent it (a job that never ran leaves nothing behind either).
final class BorrowedTransform<Input: Sendable, Output: Sendable>: Sendable {
    typealias Transform = @Sendable (Input) throws -> Output
    private let slot: Mutex<Transform?>

    init(_ transform: @escaping Transform) {
        slot = Mutex(transform)
    }

    /// Runs the transform, once; a second call (or one after `end()`) throws.
    func run(_ input: Input) throws -> Output {
        guard let transform = slot.withLock({ slot in defer { slot = nil }; return slot }) else {
            throw BorrowedTransformEnded()
        }
        return try transform(input)
    }

    /// Ends the loan (the lender calls it before `withoutActuallyEscaping` returns).
    func end() {
        _ = slot.withLock { slot in defer { slot = nil }; return slot }
    }
}

struct BorrowedTransformEnded: Error {}
