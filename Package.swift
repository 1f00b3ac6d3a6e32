// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioWebSocket = Target.Dependency.product(name: "NIOWebSocket", package: "swift-nio")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let coreMetrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let wsClient = Target.Dependency.product(name: "WSClient", package: "swift-websocket")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let hummingbirdWebSocket = Target.Dependency.product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")
let postgresNIO = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")

let package = Package(
    name: "ReplyTensor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "replytensor", targets: ["replytensor"]),
        .executable(name: "replytensor-bench", targets: ["ReplyTensorBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // System libraries (C): typed shims for variadic functions live in shim.h.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"])]),

        .target(name: "ReplyTensorHTTP", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        .target(name: "ReplyTensorCore", dependencies: ["ReplyTensorHTTP", logging], swiftSettings: swiftSettings),
        .target(name: "ReplyTensorStore", dependencies: ["ReplyTensorCore", grdb], swiftSettings: swiftSettings),
        // The store several replicas share: PostgreSQL over PostgresNIO (TLS through NIOSSL).
        .target(name: "ReplyTensorPostgres",
                dependencies: ["ReplyTensorCore", postgresNIO, nioSSL, nioCore, logging,
                               .product(name: "NIOFoundationCompat", package: "swift-nio")],
                swiftSettings: swiftSettings),
        .target(name: "Bittensor", dependencies: ["CSodium", "ReplyTensorHTTP"],
                resources: [.copy("Resources/bip39-english.txt")], swiftSettings: swiftSettings),

        // Responders, one home each: the Bittensor subnet and the OpenAI-compatible gateway.
        .target(name: "ReplyTensorSubnet", dependencies: ["ReplyTensorCore", "Bittensor", "ReplyTensorHTTP", logging],
                swiftSettings: swiftSettings),
        .target(name: "ReplyTensorGateway", dependencies: ["ReplyTensorCore", "ReplyTensorHTTP"],
                swiftSettings: swiftSettings),

        // twitter-text's list of top-level domains (data only), shared by the X adapter and the X emulator.
        .target(name: "TwitterTLDs", path: "Sources/TwitterTLDs", swiftSettings: swiftSettings),

        // Platform adapters: Core and HTTP only (X also twitter-text's domain list, Discord the Gateway's WebSocket).
        .target(name: "TelegramPlatform", dependencies: ["ReplyTensorCore", "ReplyTensorHTTP", logging],
                path: "adapters/Telegram", swiftSettings: swiftSettings),
        // Discord's Gateway is a WebSocket (libcurl here has none): swift-websocket's client over NIOSSL.
        .target(name: "DiscordPlatform", dependencies: ["ReplyTensorCore", "ReplyTensorHTTP", logging, wsClient, nioSSL,
                                                        nioCore, nioWebSocket],
                path: "adapters/Discord", swiftSettings: swiftSettings),
        .target(name: "TwitterPlatform",
                dependencies: ["ReplyTensorCore", "ReplyTensorHTTP", "TwitterTLDs", logging, crypto],
                path: "adapters/Twitter", swiftSettings: swiftSettings),

        // What the tests, the emulators, the sandbox and the benchmarks share: the Python oracles' runner, polling
        // with a timeout, child processes. Foundation only, no test framework.
        .target(name: "ReplyTensorTestSupport", swiftSettings: swiftSettings),

        // Loopback emulators of the platforms and the gateway, local miners, the local subnet.
        .target(name: "ReplyTensorEmulators",
                dependencies: ["Bittensor", "ReplyTensorTestSupport", "TwitterTLDs", logging, hummingbird, nioCore,
                               serviceLifecycle, crypto, hummingbirdWebSocket,
                               .product(name: "HummingbirdCore", package: "hummingbird")],
                swiftSettings: swiftSettings),

        // The composition root: configuration, wiring, the bot service, metrics, logging.
        .target(name: "ReplyTensorApp",
                dependencies: [
                    "ReplyTensorCore", "ReplyTensorStore", "ReplyTensorPostgres", "ReplyTensorHTTP", "ReplyTensorSubnet",
                    "ReplyTensorGateway", "Bittensor", "TelegramPlatform", "DiscordPlatform", "TwitterPlatform", logging, serviceLifecycle,
                    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                    .product(name: "TOMLKit", package: "TOMLKit"), hummingbird, nioCore, coreMetrics, prometheus,
                ],
                swiftSettings: swiftSettings),
        // The sandbox scenarios: the real bot (App) against the emulators.
        .target(name: "ReplyTensorSandbox",
                dependencies: ["ReplyTensorApp", "ReplyTensorEmulators", "ReplyTensorTestSupport", "ReplyTensorCore",
                               "ReplyTensorStore", "ReplyTensorPostgres", "ReplyTensorSubnet", "ReplyTensorGateway", "Bittensor",
                               "DiscordPlatform", "TwitterPlatform", logging],
                swiftSettings: swiftSettings),

        // The CLI: argument-parser commands only.
        .target(name: "ReplyTensorCLI",
                dependencies: [
                    "ReplyTensorApp", "ReplyTensorSandbox", "ReplyTensorCore", "ReplyTensorStore", "ReplyTensorPostgres",
                    "ReplyTensorSubnet", "Bittensor", logging,
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ],
                swiftSettings: swiftSettings),
        .executableTarget(name: "replytensor", dependencies: ["ReplyTensorCLI"], swiftSettings: swiftSettings),
        .executableTarget(name: "ReplyTensorBench",
                          dependencies: ["ReplyTensorApp", "ReplyTensorEmulators", "ReplyTensorTestSupport",
                                         "ReplyTensorCore", "ReplyTensorStore", "ReplyTensorPostgres", "ReplyTensorHTTP",
                                         "Bittensor", "DiscordPlatform", logging],
                          swiftSettings: swiftSettings),

        .testTarget(name: "ReplyTensorHTTPTests", dependencies: ["ReplyTensorHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorCoreTests", dependencies: ["ReplyTensorCore", "ReplyTensorTestSupport", logging],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorStoreTests",
                    dependencies: ["ReplyTensorStore", "ReplyTensorPostgres", "ReplyTensorCore", "ReplyTensorTestSupport",
                                   grdb, logging],
                    swiftSettings: swiftSettings),
        .testTarget(name: "BittensorTests",
                    dependencies: ["Bittensor", "ReplyTensorEmulators", "ReplyTensorHTTP", "ReplyTensorTestSupport"],
                    exclude: ["Oracles"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorSubnetTests",
                    dependencies: ["ReplyTensorSubnet", "ReplyTensorEmulators", "ReplyTensorTestSupport", "ReplyTensorCore",
                                   "ReplyTensorHTTP", "Bittensor"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorGatewayTests",
                    dependencies: ["ReplyTensorGateway", "ReplyTensorEmulators", "ReplyTensorCore", "ReplyTensorHTTP"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AdapterTests",
                    dependencies: ["TelegramPlatform", "DiscordPlatform", "TwitterPlatform", "TwitterTLDs",
                                   "ReplyTensorEmulators", "ReplyTensorTestSupport", "ReplyTensorCore", "ReplyTensorHTTP",
                                   "ReplyTensorStore", logging],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorAppTests",
                    dependencies: ["ReplyTensorApp", "ReplyTensorCore", "ReplyTensorPostgres", logging, coreMetrics, prometheus],
                    swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["ReplyTensorEmulators", "ReplyTensorTestSupport", "ReplyTensorHTTP", "Bittensor",
                                   "ReplyTensorCore", "ReplyTensorStore", "ReplyTensorPostgres", logging],
                    swiftSettings: swiftSettings),
    ]
)
