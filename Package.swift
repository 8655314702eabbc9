// swift-tools-version:6.1
import PackageDescription

/// Release builds link the Swift runtime statically (see the `advisor` target).
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

/// Release executables are linked fully statically, with nothing loaded or relocated at start-up.
///
/// The Swift runtime and the C libraries (libedit and what it needs: libtinfo, libbsd, libmd;
/// libyaml, libstemmer, SQLite, libm) come from the static archives Debian's -dev packages
/// ship. A one-shot `advisor ask` takes about 3.5 ms instead of 9 (BENCHMARKS.md).
let staticExecutable: [LinkerSetting] = [
    .unsafeFlags(
        ["-static-executable"] + ["tinfo", "bsd", "md", "m"].flatMap { ["-Xlinker", "-l" + $0] },
        .when(configuration: .release))
]

let package = Package(
    name: "advisor",
    products: [
        .executable(name: "advisor", targets: ["advisor"]),
        .library(
            name: "AdvisorKit",
            targets: ["AdvisorSystem", "AdvisorText", "AdvisorKnowledge", "AdvisorEngine", "AdvisorTranscripts"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Tests only: starting child processes (process group, signal mask, descriptors).
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
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
        // libyaml's event parser: the knowledge base composes its own tree from the events.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // statfs(2), which Glibc's Swift module leaves out: whether a stamp can trust file times.
        .target(name: "CFileSystem"),
        // The engine, in one-way layers: each target sees only those below it.
        // Files, hashing, binary and JSON encoding, terminal-safe text: knows no advice.
        .target(name: "AdvisorSystem", swiftSettings: staticRuntime),
        // Words: tokenise, normalise, stem, spell-correct. Knows nothing of topics.
        .target(name: "AdvisorText", dependencies: ["AdvisorSystem", "CStemmer"], swiftSettings: staticRuntime),
        // The knowledge base: model, YAML loading with located diagnostics, structural checks.
        .target(
            name: "AdvisorKnowledge",
            dependencies: ["AdvisorSystem", "AdvisorText", "CYAML", "CFileSystem"],
            swiftSettings: staticRuntime
        ),
        // Routing, answers, conversations, session commands, scripts, the compiled cache.
        .target(
            name: "AdvisorEngine",
            dependencies: ["AdvisorSystem", "AdvisorText", "AdvisorKnowledge"],
            swiftSettings: staticRuntime
        ),
        // Saved sessions: record, read, search, format, replay.
        .target(
            name: "AdvisorTranscripts",
            dependencies: ["AdvisorSystem", "AdvisorText", "AdvisorKnowledge", "AdvisorEngine", "CSQLite"],
            swiftSettings: staticRuntime
        ),
        // The only code that knows libedit and the terminal: line editing, width, the pager.
        .target(
            name: "LineEditor",
            dependencies: ["AdvisorSystem", "CEditLine"],
            swiftSettings: staticRuntime
        ),
        // The command-line shell over AdvisorKit.
        .executableTarget(
            name: "advisor",
            dependencies: [
                "AdvisorSystem", "AdvisorText", "AdvisorKnowledge", "AdvisorEngine", "AdvisorTranscripts",
                "LineEditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release build users run (`swift run -c release advisor`, an install) is a
            // static executable (`staticExecutable`): no dynamic loading at start-up.
            swiftSettings: staticRuntime,
            linkerSettings: staticExecutable
        ),
        // Benchmarks (BENCHMARKS.md): synthetic workloads, latency, throughput.
        .executableTarget(
            name: "advisor-bench",
            dependencies: [
                "AdvisorSystem", "AdvisorText", "AdvisorKnowledge", "AdvisorEngine", "AdvisorTranscripts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Linked like `advisor`, so that it measures the code users run.
            swiftSettings: staticRuntime,
            linkerSettings: staticExecutable
        ),
        // What both test targets share: the repository, temporary folders, child processes,
        // tmux sessions. Children are started by swift-subprocess.
        .target(
            name: "AdvisorTestSupport",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/AdvisorTestSupport"
        ),
        .testTarget(
            name: "AdvisorKitTests",
            dependencies: [
                "AdvisorSystem", "AdvisorText", "AdvisorKnowledge", "AdvisorEngine", "AdvisorTranscripts",
                "AdvisorTestSupport",
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AdvisorCLITests",
            dependencies: ["advisor", "AdvisorTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
