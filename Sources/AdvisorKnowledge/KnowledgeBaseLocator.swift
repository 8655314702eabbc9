import Foundation

/// Finds the knowledge base folder: `--kb DIR`, then `$ADVISOR_KB`, then the shipped one.
public enum KnowledgeBaseLocator {
    /// The environment variable naming a knowledge base folder.
    public static let environmentVariable = "ADVISOR_KB"
    /// The shipped knowledge base's folder name.
    public static let shippedName = "KnowledgeBase"

    /// Where the knowledge base is, or an error listing every place looked at.
    public static func locate(
        option: String?, environment: [String: String], executablePath: String, currentDirectory: String
    ) throws(LocatorError) -> String {
        if let option { return option }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        let candidates = shippedCandidates(executablePath: executablePath, currentDirectory: currentDirectory)
        for candidate in candidates where isKnowledgeBase(candidate) {
            return candidate
        }
        throw LocatorError(searched: candidates)
    }

    /// The places the shipped knowledge base may be, in order: beside the executable
    /// (and in `../share/advisor/` for an installed copy), up from the executable
    /// (a build inside a checkout), then up from the current directory.
    public static func shippedCandidates(executablePath: String, currentDirectory: String) -> [String] {
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        let binDirectory = executable.deletingLastPathComponent()
        candidates.append(binDirectory.appendingPathComponent(shippedName).path)
        candidates.append(
            binDirectory.deletingLastPathComponent().appendingPathComponent("share/advisor/\(shippedName)").path)
        for start in [binDirectory, URL(fileURLWithPath: currentDirectory)] {
            var directory = start
            for _ in 0..<8 {
                let path = directory.appendingPathComponent(shippedName).path
                if !candidates.contains(path) { candidates.append(path) }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return candidates
    }

    package static func isKnowledgeBase(_ path: String) -> Bool {
        FileManager.default.fileExists(
            atPath: (path as NSString).appendingPathComponent(KnowledgeBaseLoader.topicsFolder))
    }

    /// No knowledge base was found.
    public struct LocatorError: Error, CustomStringConvertible {
        /// The folders looked in for the shipped knowledge base, in the order they were tried.
        public var searched: [String]
        /// What to do (give `--kb DIR` or set `ADVISOR_KB`) and every folder looked in.
        public var description: String {
            "no knowledge base found: give --kb DIR or set \(environmentVariable); looked in "
                + searched.joined(separator: ", ")
        }
    }
}
