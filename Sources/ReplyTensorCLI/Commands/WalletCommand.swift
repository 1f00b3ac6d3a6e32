import ArgumentParser
import ReplyTensorCore
import ReplyTensorApp
import Bittensor
import Foundation

/// `replytensor wallet show|create|import`: the bot's hotkey, in bittensor's wallet layout and file modes.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Show, create or import the bot's hotkey (bittensor wallet layout, keyfile mode 0600).",
        discussion: "The location comes from [responder.subnet] (wallet_path, wallet, hotkey) when a configuration "
            + "file is found, then from --wallet-path/--wallet/--hotkey and BT_WALLET_PATH/BT_WALLET_NAME/"
            + "BT_WALLET_HOTKEY. Exit status: 0 ok, 1 failure.",
        subcommands: [Show.self, Create.self, Import.self])

    /// Where the hotkey is, and its password.
    struct LocationOptions: ParsableArguments {
        @Option(name: .long, help: "Configuration file (default: $REPLYTENSOR_CONFIG, then ./replytensor.toml, if present).")
        var config: String?
        @Option(name: .customLong("wallet-path"), help: "Wallets folder (default ~/.bittensor/wallets).") var walletPath: String?
        @Option(name: .long, help: "Wallet name (default \"default\").") var wallet: String?
        @Option(name: .long, help: "Hotkey name (default \"default\").") var hotkey: String?
        @Option(name: .customLong("password-env"), help: "Environment variable holding the keyfile password.")
        var passwordEnv: String?

        func resolve() throws -> (location: WalletLocation, password: String?) {
            let configuration = try OptionalConfiguration.load(config)
            let environment = ProcessInfo.processInfo.environment
            var location: WalletLocation
            if let configuration {
                location = SubnetWiring.walletLocation(configuration, environment: environment)
            } else {
                location = WalletLocation(path: "~/.bittensor/wallets", wallet: "default", hotkey: "default",
                                          environment: environment)
            }
            if let walletPath {
                location.path = WalletLocation(path: walletPath, wallet: "", hotkey: "", environment: ["HOME": environment["HOME"] ?? NSHomeDirectory()]).path
            }
            if let wallet { location.wallet = wallet }
            if let hotkey { location.hotkey = hotkey }
            var password = configuration?.responder.subnet.password
            if let passwordEnv {
                guard let value = environment[passwordEnv], !value.isEmpty else {
                    throw ValidationError("--password-env: environment variable \(passwordEnv) is not set")
                }
                password = value
            }
            return (location, password)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the hotkey's address (never its secret).")
        @OptionGroup var options: LocationOptions

        func run() async throws {
            let (location, password) = try options.resolve()
            do {
                let contents = try HotkeyFile.load(location, password: password)
                Console.out("hotkey file: \(location.hotkeyFile)")
                Console.out("ss58 address: \(contents.keypair.ss58Address)")
                Console.out("public key: 0x\(Hex.encode(contents.keypair.publicKey))")
                Console.out("encrypted: \(contents.encrypted ? "yes" : "no")")
            } catch let error as KeyError {
                Console.error("wallet: \(error)")
                throw ExitStatus.failure
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a new hotkey; prints its mnemonic once (write it down).")
        @OptionGroup var options: LocationOptions
        @Option(name: .long, help: "Mnemonic length: 12, 15, 18, 21 or 24 words.") var words = 12
        @Flag(name: .long, help: "Replace an existing hotkey file.") var overwrite = false

        func validate() throws {
            guard [12, 15, 18, 21, 24].contains(words) else { throw ValidationError("--words must be 12, 15, 18, 21 or 24") }
        }

        func run() async throws {
            let (location, password) = try options.resolve()
            do {
                let mnemonic = try Mnemonic.generate(wordCount: words)
                let mini = try Mnemonic.miniSecret(of: mnemonic)
                let keypair = try Sr25519Keypair(miniSecret: mini)
                try HotkeyFile.write(location, keypair: keypair, miniSecret: mini, mnemonic: mnemonic,
                                     password: password, overwrite: overwrite)
                Console.out("hotkey file: \(location.hotkeyFile)")
                Console.out("ss58 address: \(keypair.ss58Address)")
                Console.out("mnemonic (store it safely; anyone with it controls the hotkey): \(mnemonic)")
            } catch let error as KeyError {
                Console.error("wallet: \(error)")
                throw ExitStatus.failure
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a hotkey from a mnemonic or a 0x mini secret read from stdin (or an environment variable).")
        @OptionGroup var options: LocationOptions
        @Option(name: .customLong("from-env"), help: "Read the mnemonic or seed from this environment variable instead of stdin.")
        var fromEnv: String?
        @Flag(name: .long, help: "Replace an existing hotkey file.") var overwrite = false

        func run() async throws {
            let (location, password) = try options.resolve()
            let secret: String
            if let fromEnv {
                guard let value = ProcessInfo.processInfo.environment[fromEnv], !value.isEmpty else {
                    throw ValidationError("--from-env: environment variable \(fromEnv) is not set")
                }
                secret = value
            } else {
                secret = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            let text = secret.trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                let mini: [UInt8]
                var mnemonic: String?
                if text.hasPrefix("0x") {
                    guard let seed = Hex.decode(text), seed.count == 32 else {
                        throw KeyError("a seed is 0x followed by 64 hex digits")
                    }
                    mini = seed
                } else {
                    mini = try Mnemonic.miniSecret(of: text)
                    mnemonic = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                }
                let keypair = try Sr25519Keypair(miniSecret: mini)
                try HotkeyFile.write(location, keypair: keypair, miniSecret: mini, mnemonic: mnemonic,
                                     password: password, overwrite: overwrite)
                Console.out("hotkey file: \(location.hotkeyFile)")
                Console.out("ss58 address: \(keypair.ss58Address)")
            } catch let error as KeyError {
                Console.error("wallet: \(error)")
                throw ExitStatus.failure
            }
        }
    }
}
