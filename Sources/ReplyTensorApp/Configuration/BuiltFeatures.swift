import ReplyTensorCore

/// What this build can do. The configuration refuses to switch on anything else (CONTRACT.md).
public enum BuiltFeatures {
    static let platforms: Set<Platform> = [.telegram, .discord, .twitter]
    static let responders: Set<String> = ["gateway", "subnet"]
    static let metrics = true
}
