// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

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
    ],
    targets: [
        // System libraries (C): typed shims for variadic functions live in shim.h.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"])]),

        .target(name: "ReplyTensorHTTP", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        .target(name: "ReplyTensorCore",
                dependencies: ["ReplyTensorHTTP", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        .target(name: "ReplyTensorStore",
                dependencies: ["ReplyTensorCore", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: swiftSettings),
        .target(name: "Bittensor",
                dependencies: ["CSodium", "ReplyTensorHTTP", .product(name: "Crypto", package: "swift-crypto")],
                resources: [.copy("Resources/bip39-english.txt")],
                swiftSettings: swiftSettings),
        .target(name: "ReplyTensorSubnet",
                dependencies: ["ReplyTensorCore", "Bittensor", "ReplyTensorHTTP",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),

        // Platform adapters: Core and HTTP only.
        .target(name: "TelegramAdapter", dependencies: ["ReplyTensorCore", "ReplyTensorHTTP"],
                path: "adapters/Telegram", swiftSettings: swiftSettings),
        .target(name: "DiscordAdapter", dependencies: ["ReplyTensorCore", "ReplyTensorHTTP"],
                path: "adapters/Discord", swiftSettings: swiftSettings),
        .target(name: "TwitterAdapter",
                dependencies: ["ReplyTensorCore", "ReplyTensorHTTP", .product(name: "Crypto", package: "swift-crypto")],
                path: "adapters/Twitter", swiftSettings: swiftSettings),

        .target(name: "ReplyTensorSandbox",
                dependencies: ["ReplyTensorCore", "Bittensor", .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),

        // The CLI: the only place that knows every concrete type.
        .target(name: "ReplyTensorCLI",
                dependencies: [
                    "ReplyTensorCore", "ReplyTensorStore", "ReplyTensorHTTP", "ReplyTensorSubnet", "Bittensor",
                    "TelegramAdapter", "DiscordAdapter", "TwitterAdapter", "ReplyTensorSandbox",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "TOMLKit", package: "TOMLKit"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "CoreMetrics", package: "swift-metrics"),
                    .product(name: "Prometheus", package: "swift-prometheus"),
                ],
                swiftSettings: swiftSettings),
        .executableTarget(name: "replytensor", dependencies: ["ReplyTensorCLI"], swiftSettings: swiftSettings),
        .executableTarget(name: "ReplyTensorBench",
                          dependencies: ["ReplyTensorCore", "ReplyTensorStore", "ReplyTensorCLI", "Bittensor",
                                         "ReplyTensorSandbox", "ReplyTensorHTTP"],
                          swiftSettings: swiftSettings),

        .testTarget(name: "ReplyTensorHTTPTests", dependencies: ["ReplyTensorHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorCoreTests", dependencies: ["ReplyTensorCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorStoreTests",
                    dependencies: ["ReplyTensorStore", "ReplyTensorCore", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "BittensorTests", dependencies: ["Bittensor", "ReplyTensorSandbox", "ReplyTensorHTTP"],
                    exclude: ["Oracles"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorSubnetTests",
                    dependencies: ["ReplyTensorSubnet", "ReplyTensorSandbox"], swiftSettings: swiftSettings),
        .testTarget(name: "AdapterTests",
                    dependencies: ["TelegramAdapter", "DiscordAdapter", "TwitterAdapter", "ReplyTensorSandbox",
                                   "ReplyTensorCore", "ReplyTensorHTTP"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReplyTensorCLITests",
                    dependencies: ["ReplyTensorCLI", .product(name: "CoreMetrics", package: "swift-metrics"),
                                   .product(name: "Prometheus", package: "swift-prometheus")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["ReplyTensorSandbox", "ReplyTensorCore", "ReplyTensorHTTP", "Bittensor"],
                    swiftSettings: swiftSettings),
    ]
)
