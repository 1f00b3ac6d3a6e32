import Foundation

/// Where a bittensor hotkey lives: `<path>/<wallet>/hotkeys/<hotkey>` (bittensor's layout).
public struct WalletLocation: Sendable, Hashable {
    /// The wallets folder, `~` expanded.
    public var path: String
    public var wallet: String
    public var hotkey: String

    /// `BT_WALLET_PATH`, `BT_WALLET_NAME` and `BT_WALLET_HOTKEY` override the given values when set.
    public init(path: String, wallet: String, hotkey: String,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let chosenPath = environment["BT_WALLET_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? path
        self.path = Self.expand(chosenPath, home: home)
        self.wallet = environment["BT_WALLET_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? wallet
        self.hotkey = environment["BT_WALLET_HOTKEY"].flatMap { $0.isEmpty ? nil : $0 } ?? hotkey
    }

    public var walletFolder: String { (path as NSString).appendingPathComponent(wallet) }
    public var hotkeysFolder: String { (walletFolder as NSString).appendingPathComponent("hotkeys") }
    public var hotkeyFile: String { (hotkeysFolder as NSString).appendingPathComponent(hotkey) }
    /// bittensor-wallet 4.x writes the public half next to the keyfile as `<hotkey>pub.txt`.
    public var hotkeyPublicFile: String { hotkeyFile + "pub.txt" }

    static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + String(path.dropFirst(1)) }
        return path
    }
}
