import Bittensor

/// A miner the responder may query.
public struct MinerCandidate: Sendable, Hashable {
    public var uid: UInt16
    public var target: AxonTarget
    public var incentive: UInt16

    public var label: String { "uid \(uid) (\(target.hotkey.prefix(8))…)" }
}

/// Chooses miners from the metagraph (untrusted input): active, axon set, not validator-only, an address the
/// operator allows, ranked by incentive. Without `allowPrivateAxons` only public addresses are dialled
/// (`AddressScope`: no loopback/private/link-local/multicast/reserved ranges, nor IPv6 forms leading to them —
/// IPv4-mapped, 6to4, Teredo, NAT64) and never the bot host's own public addresses.
public enum MinerSelection {
    public struct Outcome: Sendable {
        public var candidates: [MinerCandidate]
        /// Why neurons were passed over, counted (`inactive`, `not serving`, `validator`, `private address`, …).
        public var skipped: [String: Int]
    }

    /// `hostAddresses` are the bot host's own public addresses; by default read from its interfaces now
    /// (`getifaddrs`: about 0.3 ms on a busy 2-core machine, small beside a miner round trip), so a changed address
    /// is seen at the next query.
    public static func candidates(from neurons: [NeuronInfoLite], allowPrivate: Bool, excluding ownHotkey: String? = nil,
                                  hostAddresses: Set<[UInt8]> = HostAddresses.publicAddresses()) -> Outcome {
        let own = Set(hostAddresses.map(HostAddresses.normalized))
        var skipped: [String: Int] = [:]
        var chosen: [MinerCandidate] = []
        var seen: Set<String> = []
        for neuron in neurons {
            let address = neuron.hotkeyAddress
            if address == ownHotkey { skipped["self", default: 0] += 1; continue }
            guard seen.insert(address).inserted else { skipped["duplicate hotkey", default: 0] += 1; continue }
            guard neuron.active else { skipped["inactive", default: 0] += 1; continue }
            guard neuron.axon.isServing, let bytes = neuron.axon.addressBytes, let host = neuron.axon.host else {
                skipped["not serving", default: 0] += 1
                continue
            }
            if neuron.validatorPermit && neuron.incentive == 0 { skipped["validator", default: 0] += 1; continue }
            if !allowPrivate && IPAddressText.isNonPublic(bytes) { skipped["private address", default: 0] += 1; continue }
            if !allowPrivate && own.contains(HostAddresses.normalized(bytes)) {
                skipped["own address", default: 0] += 1
                continue
            }
            if bytes.count == 4 && bytes == [0, 0, 0, 0] { skipped["not serving", default: 0] += 1; continue }
            chosen.append(MinerCandidate(uid: neuron.uid, target: AxonTarget(host: host, port: Int(neuron.axon.port),
                                                                              hotkey: address),
                                         incentive: neuron.incentive))
        }
        chosen.sort { $0.incentive != $1.incentive ? $0.incentive > $1.incentive : $0.uid < $1.uid }
        return Outcome(candidates: chosen, skipped: skipped)
    }
}
