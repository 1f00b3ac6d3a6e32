import Bittensor
import Foundation
import Logging
import ReplyTensorCore
import ReplyTensorHTTP
import ReplyTensorSubnet

/// Builds the subnet responder and its parts from `[responder.subnet]`.
public enum SubnetWiring {
    /// The hotkey location: `wallet_path` (relative to the config file, `~` expanded), `wallet`, `hotkey`;
    /// `BT_WALLET_PATH`, `BT_WALLET_NAME` and `BT_WALLET_HOTKEY` override them.
    public static func walletLocation(_ configuration: ReplyTensorConfiguration,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> WalletLocation {
        let section = configuration.responder.subnet
        var path = section.walletPath
        if !path.hasPrefix("/") && !path.hasPrefix("~"), let base = configuration.source?.deletingLastPathComponent() {
            path = base.appendingPathComponent(path).standardizedFileURL.path
        }
        return WalletLocation(path: path, wallet: section.wallet, hotkey: section.hotkey, environment: environment)
    }

    /// Loads the hotkey; a missing, unreadable, world-readable or undecryptable keyfile is a configuration error.
    static func keypair(_ configuration: ReplyTensorConfiguration) throws -> Sr25519Keypair {
        do {
            return try HotkeyFile.load(walletLocation(configuration), password: configuration.responder.subnet.password).keypair
        } catch let error as KeyError {
            throw ConfigurationError("[responder.subnet]: \(error.description)")
        }
    }

    public static func subnetConfiguration(_ configuration: ReplyTensorConfiguration) throws -> SubnetConfiguration {
        let section = configuration.responder.subnet
        let network: SubtensorNetwork
        do { network = try SubtensorNetwork(section.network) } catch {
            throw ConfigurationError("responder.subnet.network: \(error)")
        }
        return SubnetConfiguration(
            netuid: UInt16(clamping: section.netuid), network: network,
            synapse: PromptingSynapse.Kind(rawValue: section.synapse) ?? .streamPrompting,
            taskName: section.taskName.isEmpty ? nil : section.taskName,
            minersPerQuery: section.minersPerQuery, allowPrivateAxons: section.allowPrivateAxons,
            timeout: .milliseconds(Int64(configuration.responder.timeoutSeconds * 1000)),
            metagraphRefresh: .milliseconds(Int64(section.metagraphRefreshSeconds * 1000)),
            quorum: section.quorum, answerWait: .milliseconds(section.answerWaitMilliseconds),
            acceptSingleAnswer: section.acceptSingleAnswer)
    }

    /// The subnet responder; with `metrics`, every miner's verdict is counted per uid.
    static func responder(_ configuration: ReplyTensorConfiguration, http: any HTTPClient, store: any BotStore,
                          logger: Logger, metrics: BotMetrics? = nil) throws -> SubnetResponder {
        var verdicts: MinerVerdictObserver?
        if let metrics {
            verdicts = { verdict in metrics.recordMinerVerdict(uid: verdict.uid, verdict: verdict.kind.rawValue) }
        }
        return SubnetResponder(configuration: try subnetConfiguration(configuration), keypair: try keypair(configuration),
                               http: http, store: store, logger: logger, verdicts: verdicts)
    }
}
