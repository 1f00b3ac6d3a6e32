import Foundation
import ReplyTensorCore
import Synchronization

/// Prints the conversation as it happens and keeps the timings the summary needs.
final class SandboxTranscript: Sendable {
    private let quiet: Bool
    private let state = Mutex(State())

    struct State {
        var admittedAt: [MentionKey: ContinuousClock.Instant] = [:]
        var latencies: [Duration] = []
        var responderTime: [Duration] = []
        var skipped: [String: Int] = [:]
        var failed: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        var answered = 0
        var admitted = 0
        var duplicates = 0
    }

    init(quiet: Bool) { self.quiet = quiet }

    func say(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The engine's observer.
    func observe(_ event: EngineEvent) {
        let now = ContinuousClock.now
        switch event {
        case .identified(let identity):
            say("  [\(identity.platform)] signed in as @\(identity.handle ?? identity.id)")
        case .admitted(let message):
            state.withLock {
                $0.admittedAt[message.key] = now
                $0.admitted += 1
            }
            say("  [\(message.platform)] \(message.author.readableName) in \(Self.place(message.chat)): \(Self.short(message.text))")
        case .duplicate:
            state.withLock { $0.duplicates += 1 }
        case .rejected(let platform, let input):
            state.withLock { $0.rejected[input.reason, default: 0] += 1 }
            say("  [\(platform)] skipped unusable input: \(input.reason)")
        case .skipped(let message, let reason):
            state.withLock { $0.skipped[reason, default: 0] += 1 }
            say("  [\(message.platform)] not answered (\(reason)): \(Self.short(message.text))")
        case .answered(let message, let parts, _, let completion):
            state.withLock { state in
                state.answered += 1
                if let start = state.admittedAt[message.key] {
                    let total = now - start
                    let responder = completion?.latency ?? .zero
                    state.latencies.append(total > responder ? total - responder : .zero)
                    state.responderTime.append(responder)
                }
            }
            let who = completion.map { "\($0.backend)\($0.source.isEmpty ? "" : " · \($0.source)")" } ?? "resumed"
            let partsNote = parts.count > 1 ? " (\(parts.count) parts)" : ""
            say("  [\(message.platform)] bot → \(message.author.readableName)\(partsNote) [\(who)]: \(Self.short(parts.first ?? ""))")
        case .failed(let message, let reason):
            state.withLock { $0.failed[reason.split(separator: ":").first.map(String.init) ?? reason, default: 0] += 1 }
            say("  [\(message.platform)] failed: \(reason)")
        case .unknown(let message, let reason):
            say("  [\(message.platform)] unknown: \(reason) (\(message.id))")
        case .rateLimited(let platform, let scope, let wait):
            say("  [\(platform)] rate limited in \(scope): waiting \(wait)")
        case .pollFailed(let platform, let error):
            say("  [\(platform)] poll failed, retrying: \(Self.short(error))")
        case .adapterStopped(let platform, let reason):
            say("  [\(platform)] stopped: \(reason)")
        case .pollSucceeded:
            break
        }
    }

    var snapshot: State { state.withLock { $0 } }

    static func place(_ chat: ChatRef) -> String {
        switch chat.kind {
        case .direct: return "a private chat"
        default: return chat.title.map { "\"\($0)\"" } ?? "chat \(chat.id)"
        }
    }

    static func short(_ text: String, limit: Int = 90) -> String {
        let single = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        return single.count <= limit ? single : String(single.prefix(limit)) + "…"
    }
}
