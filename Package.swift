// swift-tools-version:6.1
import PackageDescription

/// Release builds link the Swift runtime statically (see the `advisor` target).
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

let package = Package(
    name: "advisor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "advisor", targets: ["advisor"]),
        .library(name: "AdvisorKit", targets: ["AdvisorKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Snowball stemmer from Debian's libstemmer-dev (no pkg-config file).
        .systemLibrary(
            name: "CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),
        // libedit from Debian's libedit-dev, with fixed-argument shims.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // SQLite from Debian's libsqlite3-dev: the derived index of `transcripts search`.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The engine: knowledge base, text, routing, answers, sessions, transcripts.
        .target(
            name: "AdvisorKit",
            dependencies: [
                "CStemmer",
                "CSQLite",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: staticRuntime
        ),
        // The only code that knows libedit and the terminal.
        .target(
            name: "LineEditor",
            dependencies: ["CEditLine"],
            swiftSettings: staticRuntime
        ),
        // The command-line shell over AdvisorKit.
        .executableTarget(
            name: "advisor",
            dependencies: [
                "AdvisorKit",
                "LineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release build users run (`swift run -c release advisor`, an install) links
            // the Swift runtime statically: no dynamic loading of libswiftCore and Foundation
            // at start-up, which halves the time of a one-shot `advisor ask`.
            swiftSettings: staticRuntime,
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
        ),
        // Benchmarks (BENCHMARKS.md): synthetic workloads, latency, throughput.
        .executableTarget(
            name: "advisor-bench",
            dependencies: [
                "AdvisorKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AdvisorKitTests",
            dependencies: ["AdvisorKit"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AdvisorCLITests",
            dependencies: ["advisor"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
