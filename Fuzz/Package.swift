// swift-tools-version:6.1
// libFuzzer targets for advisor (issue: robustness). Built apart from the main package
// because each target's entry point is libFuzzer's: see Fuzz/README.md and scripts/fuzz.
import Foundation
import PackageDescription

/// A path dependency's identity is its folder's name, which depends on where the
/// repository was cloned: read it rather than assume it.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent
    .lowercased()

let fuzzers = ["FuzzCache", "FuzzKnowledgeBase", "FuzzRouter", "FuzzScript", "FuzzTranscript"]

let package = Package(
    name: "advisor-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "AdvisorKit", package: mainPackage)])
    ]
        + fuzzers.map {
            .executableTarget(
                name: $0,
                dependencies: ["FuzzSupport", .product(name: "AdvisorKit", package: mainPackage)],
                // The main package compiles release builds for a static Swift runtime, so its
                // objects ask for the static Foundation libraries: link the same way.
                linkerSettings: [.unsafeFlags(["-static-stdlib"])]
            )
        }
)
