import Foundation
import ReplyTensorCore
import ReplyTensorApp

/// Samples this process's resident memory every 100 ms and keeps the peak.
public struct PeakMemory {
    private let task: Task<Int, Never>

    static func start() -> PeakMemory {
        PeakMemory(task: Task {
            var peak = ProcessSample.residentBytes()
            while !Task.isCancelled {
                peak = max(peak, ProcessSample.residentBytes())
                try? await Task.sleep(for: .milliseconds(100))
            }
            return max(peak, ProcessSample.residentBytes())
        })
    }

    /// Stops sampling; the peak in bytes.
    func stop() async -> Int {
        task.cancel()
        return await task.value
    }
}
