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
    ///
    /// Paths are put together as strings, with realpath(3) for the executable's links:
    /// Foundation's `URL` stats every component, which cost a one-shot question more than
    /// answering it.
    public static func shippedCandidates(executablePath: String, currentDirectory: String) -> [String] {
        let current = components(of: currentDirectory, relativeTo: [])
        let executable = components(of: resolvingLinks(executablePath), relativeTo: current)
        let binDirectory = Array(executable.dropLast())
        var candidates: [String] = []
        candidates.append(path(binDirectory + [Substring(shippedName)]))
        candidates.append(path(binDirectory.dropLast() + ["share", "advisor", Substring(shippedName)]))
        for start in [binDirectory, current] {
            var directory = start[...]
            for _ in 0..<8 {
                let candidate = path(directory + [Substring(shippedName)])
                if !candidates.contains(candidate) { candidates.append(candidate) }
                if directory.isEmpty { break }
                directory = directory.dropLast()
            }
        }
        return candidates
    }

    package static func isKnowledgeBase(_ path: String) -> Bool {
        let folder = path.hasSuffix("/") ? path : path + "/"
        return FileManager.default.fileExists(atPath: folder + KnowledgeBaseLoader.topicsFolder)
    }

    /// `path`'s components, made absolute against `base` when relative, with empty and "."
    /// components dropped and each ".." taking back the one before it.
    static func components(of path: String, relativeTo base: [Substring]) -> [Substring] {
        var result = path.hasPrefix("/") ? [] : base
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !result.isEmpty { result.removeLast() }
            default: result.append(component)
            }
        }
        return result
    }

    /// The absolute path of `components`.
    static func path(_ components: some Collection<Substring>) -> String {
        var text = ""
        for component in components { text += "/" + component }
        return text.isEmpty ? "/" : text
    }

    /// `path` with its symbolic links resolved, or as it is when it does not exist.
    static func resolvingLinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
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
