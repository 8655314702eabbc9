import AdvisorTestSupport
import Foundation

// The end-to-end tests' fixtures, copied into this test target's bundle.

extension AdvisorProcess {
    /// The test fixtures folder (copied as a resource).
    static let fixtures: URL? = {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url }
        return packageRoot?.appendingPathComponent("Tests/AdvisorCLITests/Fixtures")
    }()

    /// The shipped knowledge base.
    static var shippedKnowledgeBase: URL? { Repository.shippedKnowledgeBase }

    /// A fixture file or folder, such as `fixture("Scripts/passing.advisor")`.
    static func fixture(_ relativePath: String) -> URL? {
        guard let url = fixtures?.appendingPathComponent(relativePath),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return url
    }
}

extension Sandbox {
    /// A knowledge base made of the minimal fixture with a broken fixture's files laid over it.
    func brokenKnowledgeBase(_ name: String) throws -> URL {
        guard let minimal = AdvisorProcess.fixture("KB/minimal"),
            let overlay = AdvisorProcess.fixture("KB/broken/\(name)")
        else { throw SpawnError(description: "missing fixture KB/broken/\(name)") }
        let base = try copy(minimal, to: "kb-\(name)")
        let files = FileManager.default.enumerator(at: overlay, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let relative = String(file.standardizedFileURL.path.dropFirst(overlay.standardizedFileURL.path.count + 1))
            let target = base.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.copyItem(at: file, to: target)
        }
        return base
    }
}
