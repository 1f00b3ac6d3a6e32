import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorStore

/// `replytensor store copy`: moves a stopped deployment's store between SQLite and PostgreSQL (either way, or between
/// two of a kind). A SQLite side is locked like `run` locks it, so a running bot's file is refused; a non-empty
/// target is refused unless `force` (it is then emptied first, in the import's transaction).
public struct StoreCopy: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// A configuration error (a bad URL): exit 78 rather than 1.
        public var isConfiguration: Bool
        init(_ description: String, isConfiguration: Bool = false) {
            self.description = description
            self.isConfiguration = isConfiguration
        }
    }

    public var from: StoreLocation
    public var to: StoreLocation
    public var force: Bool
    /// The PostgreSQL password (used for whichever side is a URL).
    public var password: String?

    /// Parses both sides (paths relative to `base`).
    public init(from: String, to: String, force: Bool, password: String?, base: URL) throws(Failure) {
        do {
            self.from = try StoreLocation(parsing: from, relativeTo: base)
            self.to = try StoreLocation(parsing: to, relativeTo: base)
        } catch {
            throw Failure((error as? BotError)?.message ?? "\(error)", isConfiguration: true)
        }
        self.force = force
        self.password = password
        if self.from == self.to { throw Failure("--from and --to name the same store (\(self.from))") }
    }

    /// Copies everything; returns what was copied.
    public func run(logger: Logger) async throws(Failure) -> StoreSnapshot {
        if case .sqlite(let url) = from, !FileManager.default.fileExists(atPath: url.path) {
            throw Failure("no store at \(url.path) to copy from")
        }
        let locks = try lockSQLiteSides()
        defer { locks.forEach { $0.release() } }
        let source: OpenedStore, target: OpenedStore
        do {
            source = try await StoreOpener.open(from, password: password, replicaName: "store-copy", leaseSeconds: 15,
                                                logger: logger)
            target = try await StoreOpener.open(to, password: password, replicaName: "store-copy", leaseSeconds: 15,
                                                logger: logger)
        } catch {
            throw Failure("cannot open the store: \((error as? BotError)?.message ?? "\(error)")")
        }
        defer { Task { try? await source.close(); try? await target.close() } }
        do {
            // A PostgreSQL side with live replicas is in use, as a locked SQLite file is: the bot must be stopped.
            for side in [source, target] {
                guard let replicas = side.replicas else { continue }
                let limit = replicas.leaseDuration.seconds
                let live = try await replicas.replicas().filter { Date().timeIntervalSince($0.heartbeatAt) < limit }
                if !live.isEmpty {
                    throw Failure("replicas are running on \(side.description) (\(live.map(\.name).joined(separator: ", "))): "
                        + "stop them before copying")
                }
            }
            if !force, try await !target.transfer.isEmpty() {
                throw Failure("the target store \(to) is not empty: copying would mix two deployments; "
                    + "use --force to replace what it holds")
            }
            let snapshot = try await source.transfer.exportSnapshot()
            try await target.transfer.importSnapshot(snapshot, replacing: force)
            return snapshot
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("copy failed, the target is unchanged: \((error as? BotError)?.message ?? "\(error)")")
        }
    }

    /// The one-bot lock of every SQLite side: a bot running on it makes the copy refuse.
    private func lockSQLiteSides() throws(Failure) -> [StoreLock] {
        var locks: [StoreLock] = []
        for case .sqlite(let url) in [from, to] {
            do {
                locks.append(try StoreLock.acquire(store: url.path))
            } catch {
                locks.forEach { $0.release() }
                throw Failure("\(error)")
            }
        }
        return locks
    }
}
