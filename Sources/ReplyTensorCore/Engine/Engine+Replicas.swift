import Foundation

extension Engine {
    /// Among replicas: this replica's name and the platforms whose polling lease it holds; nil for a store one
    /// process uses.
    public var replicaState: (name: String, leases: [Platform])? {
        replica.map { ($0.store.replicaName, $0.leases) }
    }

    /// The platforms this replica can serve now: identified and not stopped.
    var servedPlatforms: [Platform] {
        state.withLock { state in state.identities.keys.filter { state.stopped[$0] == nil } }
    }

    /// Among replicas: takes the open mentions no live replica holds (new ones, and those of a replica that died) as
    /// long as the workers have room, and queues them. Woken at once when this replica admitted new mentions;
    /// otherwise every 250 ms.
    func feedLoop(_ replica: ReplicaRole) async {
        let workers = Self.workers(for: configuration)
        var failures = 0
        var released = Date.distantPast
        while !Task.isCancelled && !isShuttingDown {
            var full = false
            if replica.holdsClaims(), now().timeIntervalSince(released) >= 1 {
                await releaseStoppedWork(replica)
                released = now()
            }
            let room = workers - (await queue.inFlight)
            let platforms = Set(servedPlatforms)
            if room > 0, !platforms.isEmpty, replica.holdsClaims() {
                do {
                    let entries = try await replica.store.takeOpenMentions(limit: room, platforms: platforms, at: now())
                    for entry in entries { await queue.enqueue(entry) }
                    full = entries.count == room
                    failures = 0
                } catch {
                    failures += 1
                    if failures == 1 { logger.warning("taking open mentions failed", metadata: ["error": "\(error)"]) }
                }
            }
            if !full { await replica.waitForFeed(timeout: .milliseconds(250), clock: clock) }
        }
    }

    /// Releases the claims this replica holds on mentions it is no longer working on (work that stopped on an error,
    /// the store going away mid-way say), at most once a second: any replica, this one too, takes them again and
    /// resumes them (`posting` under the resume rules). It runs in the feeding loop, between a take and the next, so
    /// nothing taken is released before it is queued.
    private func releaseStoppedWork(_ replica: ReplicaRole) async {
        do {
            try await replica.store.releaseClaims(keeping: await queue.inFlightKeys)
        } catch {
            logger.warning("releasing stopped work failed; trying again", metadata: ["error": "\(error)"])
        }
    }

    /// A clean stop among replicas: leases and claims are given up at once, so another replica takes over without
    /// waiting for them to expire.
    func leaveReplicas() async {
        guard let replica else { return }
        do {
            try await replica.store.leave()
            logger.info("left the replicas", metadata: ["replica": "\(replica.store.replicaName)"])
        } catch {
            logger.warning("could not leave the replicas; leases expire by themselves", metadata: ["error": "\(error)"])
        }
    }
}
