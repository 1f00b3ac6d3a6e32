import ArgumentParser
import ReplyTensorCore
import ReplyTensorApp
import Bittensor
import Foundation
import ReplyTensorSubnet

/// `replytensor metagraph [--netuid N] [--network NAME|URL] [--json]`: the subnet's neurons as the bot sees them.
struct MetagraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metagraph",
        abstract: "List the subnet's neurons and which ones the bot would query.",
        discussion: "Defaults come from [responder.subnet] when a configuration file is found. Exit status: 0 ok, "
            + "1 the chain could not be read.")

    @Option(name: .long, help: "Configuration file (default: $REPLYTENSOR_CONFIG, then ./replytensor.toml, if present).")
    var config: String?
    @Option(name: .long, help: "Subnet id (default: responder.subnet.netuid, else 1).") var netuid: Int?
    @Option(name: .long, help: "finney, test, local or a ws(s):// / http(s):// URL (default: responder.subnet.network, else finney).")
    var network: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    func validate() throws {
        if let netuid, !(0...65535).contains(netuid) { throw ValidationError("--netuid must be between 0 and 65535") }
        if let network, (try? SubtensorNetwork(network)) == nil {
            throw ValidationError("--network must be finney, test, local or a ws(s):// or http(s):// URL")
        }
    }

    func run() async throws {
        let configuration = try OptionalConfiguration.load(config)
            ?? .defaults
        let subnet = configuration.responder.subnet
        let chosenNetuid = UInt16(netuid ?? subnet.netuid)
        let chosenNetwork = try SubtensorNetwork(network ?? subnet.network)
        let client = SubtensorClient(network: chosenNetwork, http: HTTPClientFactory.make(configuration))
        let neurons: [NeuronInfoLite]
        do { neurons = try await client.neuronsLite(netuid: chosenNetuid) } catch {
            Console.error("metagraph: \(chosenNetwork): \(error)")
            throw ExitStatus.failure
        }
        let outcome = MinerSelection.candidates(from: neurons, allowPrivate: subnet.allowPrivateAxons)
        let queried = Set(outcome.candidates.map(\.uid))
        if json {
            let rows: [[String: Any]] = neurons.map { neuron in
                var row: [String: Any] = [
                    "uid": Int(neuron.uid), "hotkey": neuron.hotkeyAddress, "coldkey": SS58.encode(neuron.coldkey),
                    "active": neuron.active, "incentive": neuron.incentiveFraction,
                    "validator_permit": neuron.validatorPermit, "stake_rao": neuron.stake.reduce(0) { $0 + $1.amount },
                    "emission": neuron.emission, "last_update": neuron.lastUpdate, "queried": queried.contains(neuron.uid),
                ]
                row["axon"] = neuron.axon.isServing
                    ? ["host": neuron.axon.host ?? "", "port": Int(neuron.axon.port), "ip_type": Int(neuron.axon.ipType)] as [String: Any]
                    : NSNull()
                return row
            }
            let object: [String: Any] = ["network": chosenNetwork.name, "netuid": Int(chosenNetuid), "neurons": rows,
                                         "serving": outcome.candidates.count]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        Console.out("netuid \(chosenNetuid) on \(chosenNetwork): \(neurons.count) neurons, \(outcome.candidates.count) the bot would query")
        Console.out("  uid  incentive  vpermit  active  axon                                       hotkey")
        for neuron in neurons.sorted(by: { $0.incentive > $1.incentive }) {
            let axon = neuron.axon.isServing ? AxonTarget(host: neuron.axon.host ?? "?", port: Int(neuron.axon.port), hotkey: "").authority : "-"
            let mark = queried.contains(neuron.uid) ? "*" : " "
            Console.out(String(format: "%@%4d  %9.5f  %-7@  %-6@  %-42@ %@", mark, Int(neuron.uid), neuron.incentiveFraction,
                               neuron.validatorPermit ? "yes" : "no", neuron.active ? "yes" : "no", axon, neuron.hotkeyAddress))
        }
        if !outcome.skipped.isEmpty {
            Console.out("skipped: " + outcome.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
    }
}
