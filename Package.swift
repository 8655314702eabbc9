// swift-tools-version:6.1
import PackageDescription

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
        // The engine: knowledge base, text, routing, answers, sessions, transcripts.
        .target(
            name: "AdvisorKit",
            dependencies: [
                "CStemmer",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The only code that knows libedit and the terminal.
        .target(
            name: "LineEditor",
            dependencies: ["CEditLine"]
        ),
        // The command-line shell over AdvisorKit.
        .executableTarget(
            name: "advisor",
            dependencies: [
                "AdvisorKit",
                "LineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
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
