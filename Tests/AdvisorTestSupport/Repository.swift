import Foundation

/// The checkout the tests run from: one place finds it for every test target.
package enum Repository {
    /// The package root: the first folder above this file that holds Package.swift.
    package static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<10 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        // Tests/AdvisorTestSupport/Repository.swift: two folders up.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// The shipped knowledge base.
    package static var shippedKnowledgeBase: URL { root.appendingPathComponent("KnowledgeBase") }
}
