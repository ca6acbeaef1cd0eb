// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mics-export",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mics-export", targets: ["mics-export"]),
        .library(name: "MicsExport", targets: ["MicsExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev); macros wrapped in shim.h.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "MicsExport",
            dependencies: [
                "CZlib",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "mics-export",
            dependencies: [
                "MicsExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MicsExportTests",
            dependencies: ["MicsExport"]
        ),
        .testTarget(
            name: "CLITests",
            // Depending on the tool makes `swift test` build the binary these tests run.
            dependencies: ["MicsExport", "mics-export"]
        ),
    ]
)

// One place for settings shared by every target (as swift-log's manifest does).
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v5))
    if target.name == "MicsExport" {
        // The per-line scanner state lives in a class; its dynamic exclusivity checks cost
        // 5% of a run on short lines (perf). Debug builds and tests keep them on.
        settings.append(.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)))
    }
    target.swiftSettings = settings
}
