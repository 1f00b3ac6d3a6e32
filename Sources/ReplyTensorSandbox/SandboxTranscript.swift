import Foundation
import ReplyTensorCore
import ReplyTensorTestSupport
import Synchronization

/// Prints the conversation as it happens and keeps the timings the summary needs.
public final class SandboxTranscript: Sendable {
    private let quiet: Bool
    private let state = Mutex(State())

    struct State {
        var admittedAt: [MentionKey: ContinuousClock.Instant] = [:]
        var latencies: [Duration] = []
        var latenciesByPlatform: [String: [Duration]] = [:]
        var responderTime: [Duration] = []
        var skipped: [String: Int] = [:]
        var failed: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        var answered = 0
        var admitted = 0
        var duplicates = 0
        var unknown = 0
        /// Which backend and source answered, by the text of the message answered.
        var answeredBy: [String: String] = [:]
        var lastAnswerAt: ContinuousClock.Instant?
        var sections = 0
        var plannedSections = 0
        /// When false, per-message lines are not printed (heavy scenarios print a progress line instead).
        var detailed = true
    }

    public init(quiet: Bool) { self.quiet = quiet }

    func say(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Per-message lines: printed only while detailed.
    private func detail(_ line: String) {
        if state.withLock({ $0.detailed }) { say(line) }
    }

    func setDetailed(_ value: Bool) { state.withLock { $0.detailed = value } }

    /// Announces how many sections a scenario has, for the progress marks.
    func plan(sections: Int) { state.withLock { $0.plannedSections = sections } }

    /// Starts a section of the transcript: `— [3/12] title`, with what happened so far. Waits (up to 1 s) for the
    /// outcome of every admitted mention first, so that each answer prints under its own section.
    func section(_ title: String) async {
        _ = await Polling.wait(timeout: .seconds(1), every: .milliseconds(20)) {
            state.withLock { state in
                state.answered + state.skipped.values.reduce(0, +) + state.failed.values.reduce(0, +) + state.unknown
                    >= state.admitted
            }
        }
        let (index, planned, admitted, answered) = state.withLock { state in
            state.sections += 1
            return (state.sections, max(state.plannedSections, state.sections), state.admitted, state.answered)
        }
        say("\n— [\(index)/\(planned)] \(title)   (so far: \(admitted) mentions, \(answered) answered)")
    }

    /// Which responder answered ("subnet · uid 1 (5F…)", "gateway") the message whose (mention-stripped) text is
    /// part of `text`, if it was answered.
    func answeredBy(text: String) -> String? {
        state.withLock { state in
            state.answeredBy.first { !$0.key.isEmpty && text.contains($0.key) }?.value
        }
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
            detail("  [\(message.platform)] \(message.author.readableName) in \(Self.place(message.chat)): \(Self.short(message.text))")
        case .duplicate:
            state.withLock { $0.duplicates += 1 }
        case .rejected(let platform, let input):
            state.withLock { $0.rejected[input.reason, default: 0] += 1 }
            detail("  [\(platform)] skipped unusable input: \(input.reason)")
        case .skipped(let message, let reason):
            state.withLock { $0.skipped[reason, default: 0] += 1 }
            detail("  [\(message.platform)] not answered (\(reason)): \(Self.short(message.text))")
        case .answered(let message, let parts, _, let completion):
            let who = completion.map { "\($0.backend)\($0.source.isEmpty ? "" : " · \($0.source)")" } ?? "resumed"
            state.withLock { state in
                state.answered += 1
                state.answeredBy[message.text] = who
                state.lastAnswerAt = now
                if let start = state.admittedAt[message.key] {
                    let total = now - start
                    let responder = completion?.latency ?? .zero
                    let latency = total > responder ? total - responder : .zero
                    state.latencies.append(latency)
                    state.latenciesByPlatform["\(message.platform)", default: []].append(latency)
                    state.responderTime.append(responder)
                }
            }
            let partsNote = parts.count > 1 ? " (\(parts.count) parts)" : ""
            detail("  [\(message.platform)] bot → \(message.author.readableName)\(partsNote) [\(who)]: \(Self.short(parts.first ?? ""))")
        case .failed(let message, let reason):
            state.withLock { $0.failed[reason.split(separator: ":").first.map(String.init) ?? reason, default: 0] += 1 }
            detail("  [\(message.platform)] failed: \(reason)")
        case .unknown(let message, let reason):
            state.withLock { $0.unknown += 1 }
            detail("  [\(message.platform)] unknown: \(reason) (\(message.id))")
        case .rateLimited(let platform, let scope, let wait):
            detail("  [\(platform)] rate limited in \(scope): waiting \(wait)")
        case .pollFailed(let platform, let error):
            detail("  [\(platform)] poll failed, retrying: \(Self.short(error))")
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
