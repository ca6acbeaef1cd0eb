// swift-tools-version:6.0
import PackageDescription
#if canImport(Glibc)
import Glibc
#endif

// The targets are the architecture; SwiftPM forbids cycles, so dependencies run one way:
//
//   MicsVocabulary ◀── MicsDecode ◀── MicsProject ◀── MicsSink ◀── MicsExport (convert pipeline, library)
//        ▲                                                             ▲
//        └──────────── MicsAPI (async-http-client) ────────────────────┤
//                       ▲    ▲                                         │
//                       │    └── MicsPipelines (Yams; MicsPostgres) ───┤
//          MicsSandbox ─┘ (Hummingbird; also starts for pipeline files)   │
//                                    MicsPostgres (postgres-nio) ──────┘
//   mics-export (the CLI) uses them all.
let package = Package(
    name: "mics-export",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mics-export", targets: ["mics-export"]),
        // Convert files with no server, no HTTP client and no YAML parser linked in.
        .library(name: "MicsExport", targets: ["MicsExport"]),
        .library(name: "MicsAPI", targets: ["MicsAPI"]),
        .library(name: "MicsSandbox", targets: ["MicsSandbox"]),
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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // ISA-L from the system (Debian: libisal-dev): gzip input, inflated at 2.3 times
        // zlib's speed (README, Speed and memory). zlib itself (Sources/CZlib) is only the
        // gzip fuzz target's independent writer and reader now.
        .systemLibrary(
            name: "CIsal",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        // libdeflate from the system (Debian: libdeflate-dev): gzip output, block by block.
        .systemLibrary(
            name: "CLibdeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // SSE2 byte classes for the JSON scanner, header-only C (Swift's SIMD types compile
        // to scalar code here).
        .target(name: "CByteScan"),
        // libc calls Swift cannot import portably (mallopt).
        .target(name: "CMicsSupport"),

        // The core: one target per stage, and the vocabulary they share.
        .target(name: "MicsVocabulary"),
        .target(name: "MicsDecode", dependencies: ["MicsVocabulary", "CIsal", "CByteScan"]),
        .target(name: "MicsProject", dependencies: ["MicsVocabulary", "MicsDecode"]),
        .target(
            name: "MicsSink",
            dependencies: [
                "MicsVocabulary", "MicsDecode", "MicsProject", "CLibdeflate",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ]
        ),
        .target(
            name: "MicsExport",
            dependencies: [
                "MicsVocabulary", "MicsDecode", "MicsProject", "MicsSink", "CMicsSupport",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ]
        ),

        // Around the core: the API client, pipeline files, the sandbox server.
        .target(
            name: "MicsAPI",
            dependencies: [
                "MicsExport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MicsSandbox",
            dependencies: [
                "MicsAPI", "MicsPipelines",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MicsPipelines",
            dependencies: [
                "MicsExport", "MicsAPI", "MicsPostgres",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Loading straight into PostgreSQL (SPEC 11): one transaction, COPY into staging tables.
        .target(
            name: "MicsPostgres",
            dependencies: [
                "MicsExport",
                "CByteScan",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The scanner alone, cycles per byte (bench/README.md); not part of the product.
        .executableTarget(
            name: "mics-scan-bench",
            dependencies: ["MicsDecode", "MicsProject"],
            path: "bench/scanner"
        ),
        .executableTarget(
            name: "mics-export",
            dependencies: [
                "MicsExport", "MicsAPI", "MicsPipelines", "MicsSandbox", "MicsPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: packedRelocations
        ),
        .testTarget(
            name: "MicsExportTests",
            dependencies: [
                "MicsVocabulary", "MicsDecode", "MicsProject", "MicsSink", "MicsExport",
                "MicsAPI", "MicsPipelines", "MicsSandbox", "MicsPostgres",
            ]
        ),
        // The throwaway server the database tests share: scripts/pg-test-cluster.sh, started by
        // .ci/run (MICS_TEST_DATABASE_URL) or by the first test that needs it.
        .target(name: "MicsPostgresTestSupport", dependencies: ["MicsPostgres"], path: "Tests/MicsPostgresTestSupport"),
        .testTarget(
            name: "MicsPostgresTests",
            dependencies: ["MicsPostgres", "MicsPostgresTestSupport"]
        ),
        .testTarget(
            name: "CLITests",
            // Depending on the tool makes `swift test` build the binary these tests run.
            dependencies: [
                "MicsVocabulary", "MicsDecode", "MicsProject", "MicsSink", "MicsExport",
                "MicsAPI", "MicsPipelines", "MicsSandbox", "MicsPostgres", "MicsPostgresTestSupport", "mics-export",
            ]
        ),
    ]
)

// One place for settings shared by every target (as swift-log's manifest does).
for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}

/// Links the CLI with the toolchain's lld and packed relative relocations (DT_RELR) where the
/// building machine's glibc can load them (2.36 and later; the binary then needs it too): the
/// 140,000 relocations of a `--static-swift-stdlib` build take 27 KB instead of 3.4 MB, which
/// the loader read at start and which stayed resident (peak RSS −2.5…3 MiB; README, Speed
/// and memory). Only the CLI: the library products stay free of unsafe flags. Elsewhere the
/// usual link.
var packedRelocations: [LinkerSetting] {
    #if os(Linux) && canImport(Glibc)
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "gnu_get_libc_version") else { return [] }
    typealias Version = @convention(c) () -> UnsafePointer<CChar>
    let parts = String(cString: unsafeBitCast(symbol, to: Version.self)()).split(separator: ".").compactMap { Int($0) }
    guard parts.count >= 2, (parts[0], parts[1]) >= (2, 36) else { return [] }
    return [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
    #else
    return []
    #endif
}
